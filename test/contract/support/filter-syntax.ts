/**
 * A checker for Klaviyo's `filter` query syntax (`equals(status,"open")`,
 * `greater-or-equal(created_at,2026-01-01T00:00:00Z)`, `any(status,["open","closed"])`, joined by
 * commas or `and(...)`), against the fields and operators an operation allows. The spec types
 * `filter` as a bare string; the allowed fields and operators come from `x-klaviyo-filters` and the
 * parameter's "Allowed field(s)/operator(s)" text.
 */

/** A filter value as written: a quoted string, a bare token (dates, numbers), or a list. */
export type FilterValue =
  | { kind: 'string'; value: string }
  | { kind: 'bare'; value: string }
  | { kind: 'list'; items: FilterValue[] };

export interface FilterCondition {
  operator: string;
  field: string;
  value: FilterValue;
}

/** Operators that combine conditions rather than test a field. */
const COMBINATORS = new Set(['and', 'or', 'not']);

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): FilterCondition[] {
    const out = this.parseList();
    if (this.pos !== this.text.length) this.fail('unexpected text');
    return out;
  }

  private parseList(): FilterCondition[] {
    const out = [...this.parseExpression()];
    while (this.peek() === ',') {
      this.pos += 1;
      out.push(...this.parseExpression());
    }
    return out;
  }

  private parseExpression(): FilterCondition[] {
    const operator = this.match(/[a-z][a-z-]*/y, 'an operator');
    this.expect('(');
    if (COMBINATORS.has(operator)) {
      const inner = this.parseList();
      this.expect(')');
      return inner;
    }
    const field = this.match(/[a-z_][a-z0-9_.-]*/y, 'a field name');
    this.expect(',');
    const value = this.parseValue();
    this.expect(')');
    return [{ operator, field, value }];
  }

  private parseValue(): FilterValue {
    const c = this.peek();
    if (c === '"' || c === "'") return { kind: 'string', value: this.parseQuoted(c) };
    if (c === '[') {
      this.pos += 1;
      const items = [this.parseValue()];
      while (this.peek() === ',') {
        this.pos += 1;
        items.push(this.parseValue());
      }
      this.expect(']');
      return { kind: 'list', items };
    }
    return { kind: 'bare', value: this.match(/[^,()[\]"']+/y, 'a value') };
  }

  private parseQuoted(quote: string): string {
    let value = '';
    this.pos += 1;
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\') this.pos += 1;
      value += this.text[this.pos] ?? '';
      this.pos += 1;
    }
    this.expect(quote);
    return value;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private expect(token: string): void {
    if (this.text[this.pos] !== token) this.fail(`expected '${token}'`);
    this.pos += 1;
  }

  private match(pattern: RegExp, what: string): string {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text);
    if (!found) return this.fail(`expected ${what}`);
    this.pos += found[0].length;
    return found[0];
  }

  private fail(message: string): never {
    throw new Error(`${message} at position ${this.pos}`);
  }
}

/** Parses a filter expression into its field conditions; throws on a syntax error. */
export function parseFilter(text: string): FilterCondition[] {
  return new Parser(text).parseAll();
}

/** Allowed operators per field, from the parameter description's "Allowed field(s)" list. */
export function operatorsFromDescription(description: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const section = description.split(/Allowed field\(s\)\/operator\(s\):/)[1] ?? '';
  for (const line of section.split('<br>')) {
    const found = /^`([^`]+)`:\s*(.+)$/.exec(line.trim());
    if (!found?.[1] || !found[2]) continue;
    const operators = [...found[2].matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    out.set(found[1], operators);
  }
  return out;
}
