import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Loads the Customer Agent OpenAPI 3.0 document and compiles its schemas with Ajv 8. Everything
 * here is computed from the file, so a new spec revision changes the contract tests by itself.
 */

/** The vendored spec (`spec/klaviyo/`, refreshed by `spec/klaviyo/refresh.mjs`). */
export const SPEC_URL = new URL(
  '../../../spec/klaviyo/customer-agent.openapi.json',
  import.meta.url,
);

/** Base URI under which the whole (normalized) spec document is registered with Ajv. */
const SPEC_ID = 'https://contract.test/customer-agent.openapi.json';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Spec `oneOf`s whose branches overlap, so that a valid value matches two branches and `oneOf`
 * rejects it. `AgentToolInternalReadDetails` requires nothing and allows `type: custom`, so every
 * custom tool's `details` also matches it. Validating these as `anyOf` keeps "must match one of the
 * declared shapes" while not failing every custom tool; the unit tests prove the overlap is real.
 */
export const ONE_OF_AS_ANY_OF: readonly string[] = [
  '/components/schemas/AgentToolResponse/properties/details',
];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The spec document as read, without normalization (for tests that inspect the raw file). */
export function readRawSpec(): JsonObject {
  return JSON.parse(readFileSync(fileURLToPath(SPEC_URL), 'utf8')) as JsonObject;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes one JSON-pointer token (RFC 6901). */
export function pointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Reads the value at a JSON pointer, or undefined. */
export function atPointer(doc: Json, pointer: string): Json | undefined {
  let node: Json | undefined = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else return undefined;
  }
  return node;
}

/** Follows local `$ref`s (`#/...`) until a non-reference node; returns it and its pointer. */
export function derefLocal(
  doc: Json,
  node: Json,
  pointer: string,
): { node: Json; pointer: string } {
  let current = node;
  let at = pointer;
  while (isObject(current) && typeof current['$ref'] === 'string') {
    at = current['$ref'].slice(1);
    const next = atPointer(doc, at);
    if (next === undefined) throw new Error(`unresolvable $ref ${current['$ref']}`);
    current = next;
  }
  return { node: current, pointer: at };
}

/**
 * OpenAPI 3.0's `nullable: true` means "null is also allowed". Ajv's own `nullable` support needs a
 * sibling `type` and does not add null to an `enum`, while this spec puts `nullable` next to `$ref`
 * and on enums (Python `Optional[...]` fields that Klaviyo does send as null). So rewrite each such
 * node in place: pointers to it stay valid for `$ref`s and for operation lookups.
 */
function normalizeNullable(node: JsonObject): JsonObject {
  const { nullable, ...rest } = node;
  if (nullable !== true) return nullable === undefined ? node : rest;
  const type = rest['type'];
  if (typeof type === 'string') {
    const enumValues = rest['enum'];
    return {
      ...rest,
      type: [type, 'null'],
      ...(Array.isArray(enumValues) ? { enum: [...enumValues, null] } : {}),
    };
  }
  return { anyOf: [rest, { type: 'null' }] };
}

function normalize(node: Json, pointer: string): Json {
  if (Array.isArray(node)) return node.map((item, i) => normalize(item, `${pointer}/${i}`));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    // Examples are data, not schemas: leave them alone.
    out[key] = key === 'example' ? value : normalize(value, `${pointer}/${pointerToken(key)}`);
  }
  if (ONE_OF_AS_ANY_OF.includes(pointer) && Array.isArray(out['oneOf'])) {
    out['anyOf'] = out['oneOf'];
    delete out['oneOf'];
  }
  return normalizeNullable(out);
}

/** A compiled view of the spec: the raw document, the normalized one, and an Ajv compiler. */
export interface LoadedSpec {
  raw: JsonObject;
  /** Compiles (and caches) the schema at a JSON pointer of the spec document. */
  schemaAt(pointer: string): ValidateFunction;
  /** Compiles (and caches) an ad-hoc schema; `$ref`s in it may use `refTo(pointer)`. */
  compile(key: string, schema: JsonObject): ValidateFunction;
}

/** `$ref` value that points into the registered spec document. */
export function refTo(pointer: string): string {
  return `${SPEC_ID}#${pointer}`;
}

/** Builds the Ajv instance used by every check (formats on, strict off for OpenAPI keywords). */
export function createAjv(): Ajv {
  // `strict: false`: the spec carries OpenAPI-only keywords (`example`, `x-klaviyo-*`).
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  // ajv-formats is CommonJS; under NodeNext its default export is the module object.
  addFormats.default(ajv);
  // OpenAPI's `format: binary` marks file parts of multipart bodies; the bytes are not JSON.
  ajv.addFormat('binary', true);
  return ajv;
}

let cached: LoadedSpec | undefined;

/** Loads the spec once per process. */
export function loadSpec(): LoadedSpec {
  if (cached) return cached;
  const raw = readRawSpec();
  const normalized = normalize(raw, '') as JsonObject;
  const ajv = createAjv();
  ajv.addSchema({ ...normalized, $id: SPEC_ID });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: JsonObject): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile(schema);
      compiled.set(key, fn);
    }
    return fn;
  };
  cached = {
    raw,
    schemaAt: (pointer) => compile(`ptr:${pointer}`, { $ref: refTo(pointer) }),
    compile,
  };
  return cached;
}
