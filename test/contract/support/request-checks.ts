import type { ValidateFunction } from 'ajv';
import { checkFilter } from './filter-check.js';
import { essence, headerValue, jsonApiParameterProblem, parseJson, toBody } from './http-values.js';
import type { Body, HeaderBag } from './http-values.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import { parametersOf } from './operations.js';
import type { IndexedOperation, IndexedParameter } from './operations.js';
import { schemaProblems } from './problems.js';
import type { ContractProblem } from './problems.js';
import { atPointer, derefLocal, isObject, loadSpec, pointerToken } from './spec-loader.js';
import type { JsonObject } from './spec-loader.js';

/** The checks behind validateRequest, one per part of a request. */

/** Authorization per the spec's security scheme (`Authorization: Klaviyo-API-Key <key>`). */
export function securityProblems(headers: HeaderBag): ContractProblem[] {
  const components = loadSpec().raw['components'];
  const schemes = isObject(components) ? components['securitySchemes'] : undefined;
  const scheme = isObject(schemes) ? Object.values(schemes)[0] : undefined;
  if (!isObject(scheme) || typeof scheme['name'] !== 'string') return [];
  const name = scheme['name'];
  const value = headerValue(headers, name);
  if (value === undefined) return [{ kind: 'header', message: `header ${name} is missing` }];
  // `x-default` shows the expected shape: "Klaviyo-API-Key your-private-api-key".
  const example = scheme['x-default'];
  const prefix = typeof example === 'string' ? example.split(' ')[0] : undefined;
  if (prefix && !value.startsWith(`${prefix} `)) {
    return [{ kind: 'header', message: `header ${name} must start with "${prefix} "` }];
  }
  return [];
}

/** Beta operations say which revision they need: "A beta revision header (X) is required". */
function requiredRevision(operation: IndexedOperation): string | undefined {
  const description = operation.op['description'];
  if (typeof description !== 'string') return undefined;
  return /beta revision header \(([^)]+)\) is required/.exec(description)?.[1];
}

/** Declared header parameters (`revision`): presence, schema, and the required beta revision. */
export function headerProblems(operation: IndexedOperation, headers: HeaderBag): ContractProblem[] {
  const problems: ContractProblem[] = [];
  for (const param of parametersOf(operation).filter((p) => p.in === 'header')) {
    const where = `header ${param.name}`;
    const value = headerValue(headers, param.name);
    if (value === undefined) {
      if (param.required) problems.push({ kind: 'header', message: `${where} is missing` });
      continue;
    }
    const validate = loadSpec().schemaAt(`${param.pointer}/schema`);
    problems.push(...schemaProblems('header', where, validate, value));
    const revision = param.name === 'revision' ? requiredRevision(operation) : undefined;
    if (revision !== undefined && value !== revision) {
      const message = `${where} is "${value}", the spec requires "${revision}"`;
      problems.push({ kind: 'header', message });
    }
  }
  return problems;
}

/** Turns a query string value into what the parameter's schema expects (form style). */
function coerceQueryValue(schema: JsonObject, value: string): unknown {
  const type = schema['type'];
  if (type === 'array') {
    // Every array parameter in this spec is `explode: false`: one comma-separated value.
    const items = isObject(schema['items']) ? schema['items'] : {};
    return value.split(',').map((item) => coerceQueryValue(items, item));
  }
  const isNumeric = type === 'integer' || type === 'number';
  if (isNumeric && /^[+-]?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Query parameters: declared, not repeated, matching their schema; `filter` syntax too. */
export function queryProblems(
  operation: IndexedOperation,
  search: URLSearchParams,
): ContractProblem[] {
  const declared = new Map<string, IndexedParameter>();
  for (const p of parametersOf(operation)) if (p.in === 'query') declared.set(p.name, p);
  const problems: ContractProblem[] = [];
  const seen = new Set<string>();
  for (const [name, value] of search) {
    const param = declared.get(name);
    if (!param) {
      problems.push({ kind: 'query', message: `query parameter ${name} is not declared` });
      continue;
    }
    if (seen.has(name)) problems.push({ kind: 'query', message: `query ${name} is repeated` });
    seen.add(name);
    const schema = isObject(param.param['schema']) ? param.param['schema'] : {};
    const validate = loadSpec().schemaAt(`${param.pointer}/schema`);
    const coerced = coerceQueryValue(schema, value);
    problems.push(...schemaProblems('query', `query ${name}`, validate, coerced));
    if (name === 'filter') problems.push(...checkFilter(operation, param, value));
  }
  for (const param of declared.values()) {
    if (param.required && !seen.has(param.name)) {
      problems.push({ kind: 'query', message: `query parameter ${param.name} is missing` });
    }
  }
  return problems;
}

/**
 * A multipart body: framing, required parts, text parts against their schema, and
 * `format: binary` properties sent as file parts (with a filename), as servers read them.
 */
function multipartProblems(
  schemaPointer: string,
  validate: ValidateFunction,
  contentType: string,
  bytes: Uint8Array,
): ContractProblem[] {
  const boundary = multipartBoundary(contentType);
  if (!boundary)
    return [{ kind: 'content-type', message: 'multipart Content-Type has no boundary' }];
  let parts;
  try {
    parts = parseMultipart(bytes, boundary);
  } catch (error) {
    return [{ kind: 'body', message: `multipart body is malformed (${String(error)})` }];
  }
  const raw = loadSpec().raw;
  const schema = derefLocal(raw, atPointer(raw, schemaPointer) ?? null, schemaPointer).node;
  const properties = isObject(schema) && isObject(schema['properties']) ? schema['properties'] : {};
  const problems: ContractProblem[] = [];
  const fields: Record<string, string> = {};
  for (const part of parts) {
    const property = properties[part.name];
    const isBinary = isObject(property) && property['format'] === 'binary';
    if (isBinary && part.filename === undefined) {
      const message = `multipart part ${part.name} must be a file part (with a filename)`;
      problems.push({ kind: 'body', message });
    }
    fields[part.name] = isBinary ? '<binary>' : part.content;
  }
  return [...problems, ...schemaProblems('body', 'multipart body', validate, fields)];
}

function jsonBodyProblems(
  operation: IndexedOperation,
  validate: ValidateFunction,
  body: Body,
  pathId: string | undefined,
): ContractProblem[] {
  const parsed = parseJson(body);
  if ('error' in parsed) return [{ kind: 'body', message: `request body ${parsed.error}` }];
  const problems = schemaProblems('body', 'request body', validate, parsed.value);
  // JSON:API, and the spec's field docs ("This must match the `id` path parameter"): the id in a
  // PATCH body is the one in the path.
  const data = isObject(parsed.value) ? parsed.value['data'] : undefined;
  const id = isObject(data) ? data['id'] : undefined;
  if (
    operation.method === 'patch' &&
    typeof id === 'string' &&
    pathId !== undefined &&
    id !== pathId
  ) {
    const message = `request body: /data/id "${id}" differs from the path id "${pathId}"`;
    problems.push({ kind: 'body', message });
  }
  return problems;
}

/** The request body: required or forbidden, declared content type, and schema. */
export function bodyProblems(
  operation: IndexedOperation,
  headers: HeaderBag,
  rawBody: unknown,
  pathId: string | undefined,
): ContractProblem[] {
  const body = toBody(rawBody);
  const requestBody = operation.op['requestBody'];
  if (!isObject(requestBody)) {
    return body.kind === 'none' ? [] : [{ kind: 'body', message: 'operation takes no body' }];
  }
  if (body.kind === 'none') {
    const required = requestBody['required'] === true;
    return required ? [{ kind: 'body', message: 'request body is missing' }] : [];
  }
  const content = isObject(requestBody['content']) ? requestBody['content'] : {};
  const contentType = headerValue(headers, 'content-type');
  const media = essence(contentType);
  if (media === undefined || !(media in content)) {
    const declared = Object.keys(content).join(', ');
    const message = `request Content-Type is ${contentType ?? 'missing'}, the spec declares ${declared}`;
    return [{ kind: 'content-type', message }];
  }
  const parameterProblem = jsonApiParameterProblem(contentType);
  if (parameterProblem) return [{ kind: 'content-type', message: `request ${parameterProblem}` }];
  const schemaPointer = `${operation.pointer}/requestBody/content/${pointerToken(media)}/schema`;
  const validate = loadSpec().schemaAt(schemaPointer);
  if (media !== 'multipart/form-data') return jsonBodyProblems(operation, validate, body, pathId);
  if (body.kind !== 'bytes') {
    return [{ kind: 'body', message: 'a multipart body must be given as raw bytes' }];
  }
  return multipartProblems(schemaPointer, validate, contentType ?? '', body.bytes);
}
