import { schemaProblems } from './problems.js';
import type { ContractProblem } from './problems.js';
import { operatorsFromDescription, parseFilter } from './filter-syntax.js';
import type { FilterValue } from './filter-syntax.js';
import { atPointer, isObject, loadSpec, pointerToken } from './spec-loader.js';
import type { JsonObject } from './spec-loader.js';
import type { IndexedOperation, IndexedParameter } from './operations.js';

/**
 * Fields and operators an operation's `filter` accepts: the union of `x-klaviyo-filters` and the
 * parameter's "Allowed field(s)/operator(s)" text. The two disagree for conversations (the text
 * adds `any` for `status`, which DESIGN.md also lists), so either source is enough.
 */
function allowedFilters(
  operation: IndexedOperation,
  param: IndexedParameter,
): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>();
  const add = (field: string, operators: string[]): void => {
    const set = allowed.get(field) ?? new Set<string>();
    operators.forEach((o) => set.add(o));
    allowed.set(field, set);
  };
  const declared = operation.op['x-klaviyo-filters'];
  for (const [field, spec] of Object.entries(isObject(declared) ? declared : {})) {
    const operators = isObject(spec) && isObject(spec['operators']) ? spec['operators'] : {};
    add(
      field,
      Object.values(operators).flatMap((list) => (Array.isArray(list) ? list.map(String) : [])),
    );
  }
  const description = param.param['description'];
  if (typeof description === 'string') {
    for (const [field, operators] of operatorsFromDescription(description)) add(field, operators);
  }
  return allowed;
}

/**
 * Checks one filter value against the field's declared value schema. Klaviyo's syntax writes
 * strings in quotes and date-times bare (`greater-or-equal(created_at,2026-01-01T00:00:00Z)`).
 */
function valueProblems(
  where: string,
  schema: JsonObject,
  pointer: string,
  value: FilterValue,
): ContractProblem[] {
  if (value.kind === 'list')
    return [{ kind: 'query', message: `${where}: a list where one value is expected` }];
  const isDateTime = schema['format'] === 'date-time';
  if (isDateTime && value.kind === 'string') {
    return [{ kind: 'query', message: `${where}: date-time values are written unquoted` }];
  }
  if (!isDateTime && schema['type'] === 'string' && value.kind === 'bare') {
    return [{ kind: 'query', message: `${where}: string values must be quoted` }];
  }
  return schemaProblems('query', where, loadSpec().schemaAt(pointer), value.value);
}

/** Problems with a `filter` query value: syntax, unknown field, operator, or value. */
export function checkFilter(
  operation: IndexedOperation,
  param: IndexedParameter,
  text: string,
): ContractProblem[] {
  let conditions;
  try {
    conditions = parseFilter(text);
  } catch (error) {
    return [
      { kind: 'query', message: `query filter is not valid filter syntax (${String(error)})` },
    ];
  }
  const allowed = allowedFilters(operation, param);
  const problems: ContractProblem[] = [];
  for (const { operator, field, value } of conditions) {
    const where = `query filter ${operator}(${field},...)`;
    const operators = allowed.get(field);
    if (!operators) {
      problems.push({ kind: 'query', message: `${where}: field ${field} cannot be filtered on` });
      continue;
    }
    if (!operators.has(operator)) {
      problems.push({
        kind: 'query',
        message: `${where}: operator ${operator} is not allowed for ${field} (${[...operators].join(', ')})`,
      });
      continue;
    }
    const pointer = `${operation.pointer}/x-klaviyo-filters/${pointerToken(field)}/value`;
    const schema = atPointer(loadSpec().raw, pointer);
    if (!isObject(schema)) continue;
    if (operator === 'any') {
      const items = value.kind === 'list' ? value.items : [];
      if (value.kind !== 'list')
        problems.push({ kind: 'query', message: `${where}: any() takes a list` });
      items.forEach((item) => problems.push(...valueProblems(where, schema, pointer, item)));
    } else {
      problems.push(...valueProblems(where, schema, pointer, value));
    }
  }
  return problems;
}
