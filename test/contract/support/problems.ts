import type { ErrorObject, ValidateFunction } from 'ajv';

export type ProblemKind = 'operation' | 'header' | 'query' | 'content-type' | 'body' | 'status';

/** One way a request or response breaks the contract; `message` says where and what. */
export interface ContractProblem {
  kind: ProblemKind;
  message: string;
}

/** Enough errors to locate a mismatch without flooding a test report. */
const MAX_SCHEMA_ERRORS = 8;

function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const extra =
    error.keyword === 'enum'
      ? ` (allowed: ${JSON.stringify(params['allowedValues'])})`
      : error.keyword === 'additionalProperties'
        ? ` (${String(params['additionalProperty'])})`
        : '';
  return `${error.instancePath || '/'} ${error.message ?? error.keyword}${extra}`;
}

/** Runs a compiled schema and turns its errors into problems located at `where`. */
export function schemaProblems(
  kind: ProblemKind,
  where: string,
  validate: ValidateFunction,
  value: unknown,
): ContractProblem[] {
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .slice(0, MAX_SCHEMA_ERRORS)
    .map((error) => ({ kind, message: `${where}: ${describeAjvError(error)}` }));
}
