import type { FastifyRequest } from 'fastify';
import { notFound } from '../http-errors.js';
import type { OperationDef } from '../operations.js';
import { pageLink, paginate, type SortKey } from '../pagination.js';
import type { ParsedQuery } from '../query.js';
import type { ResourceObject, Serializer } from '../serializers.js';
import type { KnowledgeState, SandboxStore } from '../store.js';

/** What a route handler gets: the validated query, the store and helpers. */
export interface RequestContext {
  op: OperationDef;
  store: SandboxStore;
  query: ParsedQuery;
  id: string;
  body: unknown;
  /** The absolute URL of this request (for `links.self`). */
  selfUrl: string;
  ser: Serializer;
  now(): number;
  indexing: { schedule(item: KnowledgeState): void };
  request: FastifyRequest;
}

/** Status and JSON:API body (none for 204). */
export interface HandlerResult {
  status: number;
  body?: unknown;
}

/** Handles one operation. */
export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;
/** Handles one operation. */
export type HandlerMap = Record<string, Handler>;

/** `{ data, links }` for one resource. */
export function single(resource: ResourceObject, status = 200): HandlerResult {
  return { status, body: { data: resource, links: { self: resource.links.self } } };
}

/** `{ data: [...], links: { self } }` for a complete, unpaginated list. */
export function list(resources: ResourceObject[], selfUrl: string): HandlerResult {
  return { status: 200, body: { data: resources, links: { self: selfUrl } } };
}

/** One page of a list with `links.self`, `links.next` and `links.prev`. */
export function paged<T>(
  ctx: RequestContext,
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  render: (item: T) => ResourceObject,
  descending = false,
): HandlerResult {
  const page = paginate(items, keyOf, {
    size: ctx.query.pageSize,
    cursor: ctx.query.cursor,
    descending,
  });
  const next = pageLink(ctx.selfUrl, page.next);
  const prev = pageLink(ctx.selfUrl, page.prev);
  return {
    status: 200,
    body: {
      data: page.items.map(render),
      links: { self: ctx.selfUrl, ...(next ? { next } : {}), ...(prev ? { prev } : {}) },
    },
  };
}

/** Looks an id up in a map, or throws a 404 naming the resource. */
export function found<T>(map: ReadonlyMap<string, T>, id: string, what: string): T {
  const item = map.get(id);
  if (item === undefined) throw notFound(`No ${what} with id '${id}' was found.`);
  return item;
}

/** Sort key: creation time, then id. */
export function byCreated(item: { created_at: number; id: string }): SortKey {
  return [item.created_at, item.id];
}
