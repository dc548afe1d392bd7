import {
  HTTP_METHODS,
  derefLocal,
  isObject,
  loadSpec,
  pointerToken,
  refTo,
} from './spec-loader.js';
import type { HttpMethod, Json, JsonObject } from './spec-loader.js';
import type { ValidateFunction } from 'ajv';

/** One operation of the spec, with what the validators need precomputed. */
export interface IndexedOperation {
  method: HttpMethod;
  pathTemplate: string;
  operationId: string;
  /** JSON pointer of the operation object in the spec document. */
  pointer: string;
  op: JsonObject;
  pattern: RegExp;
  paramNames: string[];
}

/**
 * List endpoints that the spec types with a single-object wrapper (`data` is an object). DESIGN.md
 * ("Klaviyo Customer Agent API — facts"): "Where the spec's schema and its prose disagree (some list
 * endpoints are typed with a single-object wrapper), follow JSON:API: lists return a `data` array
 * and `links.next`." For these operations only, a 2xx body is validated as `data: [<declared
 * item>]` with the spec's own `CollectionLinks`. The unit tests check that this list equals what
 * the rule (a GET of a collection or relationship path whose declared `data` is an object) finds.
 */
export const LIST_RESPONSE_DEVIATIONS: readonly string[] = [
  'list_agent_knowledge_beta',
  'list_customer_agent_conversations_beta',
  'get_agent_message_ids_for_customer_agent_conversation_beta',
  'get_agent_messages_for_customer_agent_conversation_beta',
  'get_tool_ids_for_agent_secret_beta',
  'get_tools_for_agent_secret_beta',
  'get_agent_tools_beta',
  'get_skill_ids_for_agent_tool_beta',
  'get_skills_for_agent_tool_beta',
];

function compilePath(template: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), paramNames };
}

let index: IndexedOperation[] | undefined;
let byPrecedence: IndexedOperation[] | undefined;

/** Every operation in the spec, in file order. */
export function indexOperations(): IndexedOperation[] {
  if (index) return index;
  const paths = loadSpec().raw['paths'];
  const out: IndexedOperation[] = [];
  for (const [pathTemplate, item] of Object.entries(isObject(paths) ? paths : {})) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op) || typeof op['operationId'] !== 'string') continue;
      const pointer = `/paths/${pointerToken(pathTemplate)}/${method}`;
      out.push({
        method,
        pathTemplate,
        operationId: op['operationId'],
        pointer,
        op,
        ...compilePath(pathTemplate),
      });
    }
  }
  index = out;
  return index;
}

/** Operations in matching order: literal segments beat parameters when two templates match. */
export function operationsByPrecedence(): IndexedOperation[] {
  byPrecedence ??= [...indexOperations()].sort((a, b) => a.paramNames.length - b.paramNames.length);
  return byPrecedence;
}

/** Where a parameter sits (in the spec document) and what it declares. */
export interface IndexedParameter {
  name: string;
  in: string;
  required: boolean;
  pointer: string;
  param: JsonObject;
}

export function parametersOf(operation: IndexedOperation): IndexedParameter[] {
  const raw = loadSpec().raw;
  const list = operation.op['parameters'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, i) => {
    const { node, pointer } = derefLocal(raw, entry, `${operation.pointer}/parameters/${i}`);
    if (!isObject(node) || typeof node['name'] !== 'string' || typeof node['in'] !== 'string') {
      return [];
    }
    return [
      {
        name: node['name'],
        in: node['in'],
        required: node['required'] === true,
        pointer,
        param: node,
      },
    ];
  });
}

/** The declared response for a status (exact code, then `4XX`-style range, then `default`). */
export function declaredResponse(
  operation: IndexedOperation,
  status: number,
): { key: string; pointer: string; response: JsonObject } | undefined {
  const responses = operation.op['responses'];
  if (!isObject(responses)) return undefined;
  const exact = String(status);
  // 2xx must match an exact declared code: a 200 where the spec says 201 is a contract break.
  const keys = status < 300 ? [exact] : [exact, `${Math.floor(status / 100)}XX`, 'default'];
  const key = keys.find((k) => k in responses);
  if (key === undefined) return undefined;
  const start = `${operation.pointer}/responses/${pointerToken(key)}`;
  const { node, pointer } = derefLocal(loadSpec().raw, responses[key] ?? null, start);
  return isObject(node) ? { key, pointer, response: node } : undefined;
}

/** The declared `data` schema of the 2xx JSON body, resolved; for the list-deviation rule. */
function declaredDataSchema(
  operation: IndexedOperation,
): { node: Json; pointer: string } | undefined {
  const responses = operation.op['responses'];
  const okKey = isObject(responses)
    ? Object.keys(responses).find((k) => k.startsWith('2'))
    : undefined;
  const ok = okKey === undefined ? undefined : declaredResponse(operation, Number(okKey));
  const content = ok?.response['content'];
  if (!ok || !isObject(content)) return undefined;
  const [media, entry] = Object.entries(content)[0] ?? [];
  if (media === undefined || !isObject(entry)) return undefined;
  const raw = loadSpec().raw;
  const schemaPointer = `${ok.pointer}/content/${pointerToken(media)}/schema`;
  const wrapper = derefLocal(raw, entry['schema'] ?? null, schemaPointer);
  const props = isObject(wrapper.node) ? wrapper.node['properties'] : undefined;
  if (!isObject(props) || props['data'] === undefined) return undefined;
  const pointer = `${wrapper.pointer}/properties/data`;
  return { node: derefLocal(raw, props['data'], pointer).node, pointer };
}

/**
 * The rule behind LIST_RESPONSE_DEVIATIONS, computed from the spec: GETs whose path does not end
 * in a parameter (collections, `/relationships/...` and related-resource paths) whose declared
 * `data` is a single object.
 */
export function listDeviationCandidates(): string[] {
  return indexOperations()
    .filter((o) => o.method === 'get' && !o.pathTemplate.endsWith('}'))
    .filter((o) => {
      const data = declaredDataSchema(o);
      return data !== undefined && isObject(data.node) && data.node['type'] === 'object';
    })
    .map((o) => o.operationId);
}

/** Validator for a list-deviation operation's 2xx body: JSON:API `data` array of declared items. */
export function listBodyValidator(operation: IndexedOperation): ValidateFunction {
  const data = declaredDataSchema(operation);
  if (!data) throw new Error(`${operation.operationId} declares no data schema`);
  return loadSpec().compile(`list:${operation.operationId}`, {
    type: 'object',
    required: ['data'],
    properties: {
      data: { type: 'array', items: { $ref: refTo(data.pointer) } },
      links: { $ref: refTo('/components/schemas/CollectionLinks') },
    },
  });
}
