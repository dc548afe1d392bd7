import type { FilterSpec, FilterValueType } from './operations.js';

/**
 * Klaviyo's filter syntax: `op(field,value)` conditions joined by `,` (and `and(...)`), values
 * quoted with `"` or `'`, unquoted datetimes/numbers/booleans, and `[...]` lists for `any`.
 * Every problem is reported as a message the caller turns into a 400 naming the parameter.
 */

/** A parsed filter value (datetimes become `Date`). */
export type FilterValue = string | number | boolean | null | Date | FilterValue[];

/** One `operator(field,value)` condition. */
export interface Condition {
  field: string;
  operator: string;
  value: FilterValue;
}

/** A filter that does not parse or is not allowed; the caller makes it a 400. */
export class FilterSyntaxError extends Error {}

/** Parses and checks a filter against the operation's allowed fields and operators. */
export function parseFilter(text: string, spec: FilterSpec): Condition[] {
  const parser = new Parser(text);
  const conditions = parser.parseList();
  return conditions.map((c) => checkCondition(c, spec));
}

function checkCondition(condition: Condition, spec: FilterSpec): Condition {
  const field = spec[condition.field];
  if (!field) {
    throw new FilterSyntaxError(
      `'${condition.field}' is not a filterable field here; allowed: ${Object.keys(spec).join(', ')}`,
    );
  }
  if (!field.operators.includes(condition.operator)) {
    throw new FilterSyntaxError(
      `operator '${condition.operator}' is not allowed for '${condition.field}'; allowed: ${field.operators.join(', ')}`,
    );
  }
  const isList = condition.operator === 'any';
  if (isList !== Array.isArray(condition.value)) {
    throw new FilterSyntaxError(
      isList
        ? `'any' takes a list, e.g. any(${condition.field},["a","b"])`
        : `'${condition.operator}' takes a single value, not a list`,
    );
  }
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  const checked = values.map((v) => checkValue(v, field.value, condition.field));
  return { ...condition, value: isList ? checked : (checked[0] ?? null) };
}

function checkValue(value: FilterValue, type: FilterValueType, field: string): FilterValue {
  if (type === 'datetime') {
    const text = value instanceof Date ? value.toISOString() : String(value);
    const date = parseDatetime(text);
    if (!date) {
      throw new FilterSyntaxError(
        `'${text}' is not a valid datetime for '${field}'${plusHint(text)}`,
      );
    }
    return date;
  }
  if (typeof value !== 'string') {
    throw new FilterSyntaxError(`'${field}' takes a quoted string value`);
  }
  if (Array.isArray(type) && !type.includes(value)) {
    throw new FilterSyntaxError(
      `'${value}' is not a valid value for '${field}'; allowed: ${type.join(', ')}`,
    );
  }
  return value;
}

/** A datetime with a space where its offset's `+` was: the client did not encode the `+`. */
function plusHint(text: string): string {
  return /\d \d{2}:?\d{2}$/.test(text) ? " (a '+' in a query string must be sent as %2B)" : '';
}

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO-8601 date or datetime (no offset = UTC), or null. */
export function parseDatetime(text: string): Date | null {
  if (!DATETIME.test(text)) return null;
  const hasTime = text.includes('T');
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) && hasTime;
  const ms = Date.parse(hasTime ? (hasZone ? text : `${text}Z`) : `${text}T00:00:00Z`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseList(): Condition[] {
    const conditions = this.parseCalls();
    this.skipSpaces();
    if (this.pos < this.text.length) this.fail(`unexpected '${this.text[this.pos]}'`);
    if (conditions.length === 0) this.fail('empty filter');
    return conditions;
  }

  private parseCalls(): Condition[] {
    const out: Condition[] = [];
    do {
      this.skipSpaces();
      out.push(...this.parseCall());
      this.skipSpaces();
    } while (this.eat(','));
    return out;
  }

  private parseCall(): Condition[] {
    const name = this.readWhile(/[a-z-]/);
    if (!name) this.fail('expected an operator such as equals(...)');
    this.expect('(');
    if (name === 'and') {
      const inner = this.parseCalls();
      this.expect(')');
      return inner;
    }
    if (name === 'or' || name === 'not') this.fail(`'${name}' is not supported`);
    this.skipSpaces();
    const field = this.readWhile(/[a-z_.]/);
    if (!field) this.fail(`expected a field name in ${name}(...)`);
    this.skipSpaces();
    this.expect(',');
    const value = this.parseValue();
    this.skipSpaces();
    this.expect(')');
    return [{ field, operator: name, value }];
  }

  private parseValue(): FilterValue {
    this.skipSpaces();
    const char = this.text[this.pos];
    if (char === '"' || char === "'") return this.parseString(char);
    if (char === '[') return this.parseArray();
    const raw = this.readWhile(/[^,()\]]/).trim();
    if (!raw) this.fail('expected a value');
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (raw === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
    const date = parseDatetime(raw);
    if (date) return date;
    this.fail(`'${raw}' is not a valid value (quote strings with double quotes)${plusHint(raw)}`);
  }

  private parseString(quote: string): string {
    this.pos += 1;
    const end = this.text.indexOf(quote, this.pos);
    if (end < 0) this.fail('unterminated string');
    const value = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return value;
  }

  private parseArray(): FilterValue[] {
    this.expect('[');
    const items: FilterValue[] = [];
    this.skipSpaces();
    if (this.eat(']')) this.fail('empty list');
    do items.push(this.parseValue());
    while ((this.skipSpaces(), this.eat(',')));
    this.expect(']');
    return items;
  }

  private readWhile(pattern: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && pattern.test(this.text[this.pos] ?? '')) this.pos += 1;
    return this.text.slice(start, this.pos);
  }

  private skipSpaces(): void {
    this.readWhile(/\s/);
  }

  private eat(char: string): boolean {
    if (this.text[this.pos] !== char) return false;
    this.pos += 1;
    return true;
  }

  private expect(char: string): void {
    this.skipSpaces();
    if (!this.eat(char)) this.fail(`expected '${char}'`);
  }

  private fail(message: string): never {
    throw new FilterSyntaxError(`${message} at position ${this.pos + 1}`);
  }
}

/** True when a value satisfies one condition (values already checked by `parseFilter`). */
export function matches(actual: string | number | null, condition: Condition): boolean {
  const expected = condition.value;
  if (condition.operator === 'any') {
    return Array.isArray(expected) && expected.some((v) => compare(actual, v) === 0);
  }
  const order = compare(actual, expected);
  switch (condition.operator) {
    case 'equals':
      return order === 0;
    case 'greater-or-equal':
      return order !== null && order >= 0;
    case 'less-or-equal':
      return order !== null && order <= 0;
    case 'contains':
      return (
        typeof actual === 'string' && actual.toLowerCase().includes(String(expected).toLowerCase())
      );
    default:
      return false;
  }
}

function compare(actual: string | number | null, expected: FilterValue): number | null {
  if (actual === null || expected === null || Array.isArray(expected)) return null;
  if (expected instanceof Date) {
    const ms = typeof actual === 'number' ? actual : Date.parse(actual);
    return Math.sign(ms - expected.getTime());
  }
  if (actual === expected) return 0;
  return String(actual) < String(expected) ? -1 : 1;
}
