import { RequestValidationError } from '../errors.js';

/**
 * Builder for Klaviyo's `filter` query syntax. Conditions are joined by `,`, which Klaviyo reads
 * as AND. Quoting follows Klaviyo's rules: strings in double quotes (with `\` escaping), and
 * datetimes, numbers, booleans and null unquoted.
 *
 * @example
 * filter().greaterOrEqual('created_at', since).anyOf('status', ['open', 'routed-to-team']).build()
 * // → 'greater-or-equal(created_at,2026-01-01T00:00:00+00:00),any(status,["open","routed-to-team"])'
 */

/** A value of a filter condition. `Date`s and ISO-8601 datetime strings are sent unquoted. */
export type FilterValue = string | number | boolean | Date | null;

const FIELD = /^[a-z_][a-z0-9_.-]*$/i;
// An ISO-8601 datetime with a time part (and optional zone). Klaviyo wants these unquoted.
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Immutable filter expression; every method returns a new Filter. */
export class Filter {
  private readonly conditions: readonly string[];

  constructor(conditions: readonly string[] = []) {
    this.conditions = conditions;
  }

  /** `equals(field,value)` */
  equals(field: string, value: FilterValue): Filter {
    return this.add('equals', field, formatValue(value));
  }

  /** `greater-or-equal(field,value)`, e.g. a `created_at` lower bound. */
  greaterOrEqual(field: string, value: FilterValue): Filter {
    return this.add('greater-or-equal', field, formatValue(value));
  }

  /** `less-or-equal(field,value)` */
  lessOrEqual(field: string, value: FilterValue): Filter {
    return this.add('less-or-equal', field, formatValue(value));
  }

  /** `greater-than(field,value)` */
  greaterThan(field: string, value: FilterValue): Filter {
    return this.add('greater-than', field, formatValue(value));
  }

  /** `less-than(field,value)` */
  lessThan(field: string, value: FilterValue): Filter {
    return this.add('less-than', field, formatValue(value));
  }

  /** `contains(field,"text")` */
  contains(field: string, value: string): Filter {
    return this.add('contains', field, quote(value));
  }

  /** `any(field,["a","b"])`: the field equals one of the values. */
  anyOf(field: string, values: readonly FilterValue[]): Filter {
    if (values.length === 0) {
      throw new RequestValidationError(`filter any(${field},…) needs at least one value`);
    }
    return this.add('any', field, `[${values.map(formatValue).join(',')}]`);
  }

  /** True when no condition was added. */
  get isEmpty(): boolean {
    return this.conditions.length === 0;
  }

  /** The filter string for the `filter` query parameter. */
  build(): string {
    return this.conditions.join(',');
  }

  toString(): string {
    return this.build();
  }

  private add(operator: string, field: string, value: string): Filter {
    if (!FIELD.test(field)) {
      throw new RequestValidationError(`filter field ${JSON.stringify(field)} is not a field name`);
    }
    return new Filter([...this.conditions, `${operator}(${field},${value})`]);
  }
}

/** Starts an empty filter. */
export function filter(): Filter {
  return new Filter();
}

/** Accepts a built Filter or a raw filter string; returns the query value or undefined. */
export function filterToString(value: string | Filter | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : value.build();
  return text === '' ? undefined : text;
}

function formatValue(value: FilterValue): string {
  if (value === null) return 'null';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RequestValidationError(`filter value ${value} is not finite`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (ISO_DATETIME.test(value)) return value;
  return quote(value);
}

/** `2026-01-01T00:00:00+00:00`, the form Klaviyo's docs use (milliseconds only when non-zero). */
function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RequestValidationError('filter date is invalid');
  return date.toISOString().replace('.000Z', 'Z').replace(/Z$/, '+00:00');
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
