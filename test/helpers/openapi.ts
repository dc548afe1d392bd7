import {
  essence,
  headerValue,
  jsonApiParameterProblem,
  parseJson,
  toBody,
} from '../contract/support/http-values.js';
import type { HeaderBag } from '../contract/support/http-values.js';
import {
  LIST_RESPONSE_DEVIATIONS,
  declaredResponse,
  indexOperations,
  listBodyValidator,
  operationsByPrecedence,
} from '../contract/support/operations.js';
import type { IndexedOperation } from '../contract/support/operations.js';
import { schemaProblems } from '../contract/support/problems.js';
import type { ContractProblem } from '../contract/support/problems.js';
import {
  bodyProblems,
  headerProblems,
  queryProblems,
  securityProblems,
} from '../contract/support/request-checks.js';
import { isObject, loadSpec, pointerToken } from '../contract/support/spec-loader.js';
import type { HttpMethod } from '../contract/support/spec-loader.js';

/**
 * Contract validation against the Customer Agent OpenAPI spec
 * (`spec/klaviyo/customer-agent.openapi.json`): any request a client sends and any response a
 * server returns can be checked here, with Ajv 8 compiling the spec's own schemas. Deviations from
 * a literal reading of the spec are few, explicit and unit-tested: LIST_RESPONSE_DEVIATIONS (from
 * DESIGN.md) and ONE_OF_AS_ANY_OF (a spec `oneOf` whose branches overlap). OpenAPI 3.0's
 * `nullable: true` is read as "null is allowed" everywhere it appears (see spec-loader.ts).
 */

export { SPEC_URL, ONE_OF_AS_ANY_OF } from '../contract/support/spec-loader.js';
export type { HttpMethod } from '../contract/support/spec-loader.js';
export type { HeaderBag } from '../contract/support/http-values.js';
export type { ContractProblem, ProblemKind } from '../contract/support/problems.js';
export {
  LIST_RESPONSE_DEVIATIONS,
  listDeviationCandidates,
} from '../contract/support/operations.js';

/** An operation as the spec declares it. */
export interface SpecOperation {
  method: HttpMethod;
  pathTemplate: string;
  operationId: string;
}

export interface OperationMatch {
  operationId: string;
  pathTemplate: string;
  pathParams: Record<string, string>;
}

/**
 * A request to check. `url` may be absolute or path+query. `body` may be raw bytes or text (as
 * recorded on the wire) or an already-parsed JSON value (hand-written examples).
 */
export interface RequestRecord {
  method: string;
  url: string;
  headers: HeaderBag;
  body?: unknown;
}

/** A response to check, with the method and URL of the request that produced it. */
export interface ResponseRecord extends RequestRecord {
  status: number;
}

/** Every (method, path template, operationId) in the spec, in file order, computed from it. */
export function allOperations(): SpecOperation[] {
  return indexOperations().map(({ method, pathTemplate, operationId }) => ({
    method,
    pathTemplate,
    operationId,
  }));
}

interface Found {
  operation: IndexedOperation;
  pathParams: Record<string, string>;
}

function findOperation(method: string, pathname: string): Found | undefined {
  const wanted = method.toLowerCase();
  for (const operation of operationsByPrecedence()) {
    if (operation.method !== wanted) continue;
    const found = operation.pattern.exec(pathname);
    if (!found) continue;
    const pathParams: Record<string, string> = {};
    operation.paramNames.forEach((name, i) => {
      pathParams[name] = decodeURIComponent(found[i + 1] ?? '');
    });
    return { operation, pathParams };
  }
  return undefined;
}

/** The spec operation that serves `method pathname`, with its decoded path parameters. */
export function matchOperation(method: string, pathname: string): OperationMatch | undefined {
  const found = findOperation(method, pathname);
  if (!found) return undefined;
  const { operationId, pathTemplate } = found.operation;
  return { operationId, pathTemplate, pathParams: found.pathParams };
}

function locate(record: RequestRecord): { url: URL; found?: Found; problem?: ContractProblem } {
  const url = new URL(record.url, 'http://contract.invalid');
  const found = findOperation(record.method, url.pathname);
  if (found) return { url, found };
  const message = `${record.method.toUpperCase()} ${url.pathname} is not an operation of the spec`;
  return { url, problem: { kind: 'operation', message } };
}

/**
 * Every way `request` breaks the spec: unknown operation, `Authorization` and `revision` headers,
 * query parameters (declared, schema, filter syntax), content type and body. Empty when it conforms.
 */
export function validateRequest(request: RequestRecord): ContractProblem[] {
  const { url, found, problem } = locate(request);
  if (!found) return problem ? [problem] : [];
  const { operation, pathParams } = found;
  return [
    ...securityProblems(request.headers),
    ...headerProblems(operation, request.headers),
    ...queryProblems(operation, url.searchParams),
    ...bodyProblems(operation, request.headers, request.body, pathParams['id']),
  ];
}

/**
 * Every way `response` breaks the spec: undeclared status (a 2xx must be the exact declared code,
 * errors fall to `4XX`/`5XX`), content type, empty body where none is declared (204), and the body
 * against its schema. Empty when it conforms.
 */
export function validateResponse(response: ResponseRecord): ContractProblem[] {
  const { found, problem } = locate(response);
  if (!found) return problem ? [problem] : [];
  const { operation } = found;
  const declared = declaredResponse(operation, response.status);
  if (!declared) {
    const keys = Object.keys(isObject(operation.op['responses']) ? operation.op['responses'] : {});
    const message = `status ${response.status} is not declared (${keys.join(', ')})`;
    return [{ kind: 'status', message }];
  }
  const body = toBody(response.body);
  const content = declared.response['content'];
  if (!isObject(content)) {
    if (body.kind === 'none') return [];
    return [{ kind: 'body', message: `a ${response.status} response must have an empty body` }];
  }
  const contentType = headerValue(response.headers, 'content-type');
  const media = essence(contentType);
  if (media === undefined || !(media in content)) {
    const allowed = Object.keys(content).join(', ');
    const message = `response Content-Type is ${contentType ?? 'missing'}, the spec declares ${allowed}`;
    return [{ kind: 'content-type', message }];
  }
  const parameterProblem = jsonApiParameterProblem(contentType);
  const problems: ContractProblem[] = parameterProblem
    ? [{ kind: 'content-type', message: `response ${parameterProblem}` }]
    : [];
  const parsed = parseJson(body);
  if ('error' in parsed) {
    return [...problems, { kind: 'body', message: `response body ${parsed.error}` }];
  }
  const isListDeviation =
    response.status < 300 && LIST_RESPONSE_DEVIATIONS.includes(operation.operationId);
  const validate = isListDeviation
    ? listBodyValidator(operation)
    : loadSpec().schemaAt(`${declared.pointer}/content/${pointerToken(media)}/schema`);
  return [
    ...problems,
    ...schemaProblems('body', `response body (${declared.key})`, validate, parsed.value),
  ];
}
