import { FilterSyntaxError, parseFilter, type Condition } from './filters.js';
import { invalidParameter } from './http-errors.js';
import type { OperationDef } from './operations.js';
import { parsePageSize } from './pagination.js';

/**
 * Checks a request's query string against the operation's parameters: unknown parameters,
 * unknown sparse fields, bad filters, sorts and page sizes are 400s naming the parameter.
 */

/** The validated query parameters of one request. */
export interface ParsedQuery {
  fields: Map<string, string[]>;
  filter: Condition[];
  sort: string | undefined;
  pageSize: number;
  cursor: string | undefined;
}

/** Reads a request's query parameters for an operation; throws a 400 ApiProblem. */
export function parseQuery(op: OperationDef, raw: Record<string, unknown>): ParsedQuery {
  const parsed: ParsedQuery = {
    fields: new Map(),
    filter: [],
    sort: undefined,
    pageSize: 50,
    cursor: undefined,
  };
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      throw invalidParameter(name, `'${name}' must be given once`);
    }
    readParameter(op, parsed, name, value);
  }
  return parsed;
}

function readParameter(op: OperationDef, parsed: ParsedQuery, name: string, value: string): void {
  const { query } = op;
  const fieldsType = /^fields\[(.+)\]$/.exec(name)?.[1];
  if (fieldsType !== undefined && query.fields?.[fieldsType]) {
    const allowed = query.fields[fieldsType];
    const requested = value.split(',').map((f) => f.trim());
    const unknown = requested.filter((f) => !allowed.includes(f));
    if (unknown.length > 0 || value === '') {
      throw invalidParameter(
        name,
        `'${unknown.join(',') || value}' is not a valid field for the resource '${fieldsType}'; allowed: ${allowed.join(', ')}`,
      );
    }
    parsed.fields.set(fieldsType, requested);
  } else if (name === 'filter' && query.filter) {
    try {
      parsed.filter = parseFilter(value, query.filter);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      throw invalidParameter('filter', `Invalid filter '${value}': ${error.message}`);
    }
  } else if (name === 'sort' && query.sort) {
    if (!query.sort.includes(value)) {
      throw invalidParameter(
        'sort',
        `'${value}' is not a valid sort; allowed: ${query.sort.join(', ')}`,
      );
    }
    parsed.sort = value;
  } else if (name === 'page[size]' && query.paginated) {
    parsed.pageSize = parsePageSize(value);
  } else if (name === 'page[cursor]' && query.paginated) {
    parsed.cursor = value;
  } else {
    throw invalidParameter(name, `'${name}' is not a valid query parameter for this endpoint`);
  }
}
