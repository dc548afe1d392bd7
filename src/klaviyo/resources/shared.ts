import { z } from 'zod';
import { RequestValidationError } from '../../errors.js';
import type { KlaviyoOperationId } from '../operations.js';
import { createPageIterator, type PageIterator } from '../pagination.js';
import { identifierSchema, listDocumentSchema } from '../schemas/common.js';
import { validateRequest } from '../request.js';
import type { Transport } from '../transport.js';

/** Largest `page[size]` the API accepts. */
export const MAX_PAGE_SIZE = 100;

/** Checks `page[size]` (1…100) before any call. */
export function pageSizeParam(pageSize: number | undefined): number | undefined {
  if (pageSize === undefined) return undefined;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RequestValidationError(
      `page size must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`,
    );
  }
  return pageSize;
}

/** Checks a path id before any call. */
export function requireId(id: string, what: string): string {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new RequestValidationError(`${what} id must be a non-empty string`);
  }
  return id;
}

const IdList = z.array(z.string().min(1));

/** Checks a list of related ids (e.g. tool ids bound to a skill). */
export function requireIds(ids: readonly string[], what: string): string[] {
  return validateRequest(IdList, ids, `${what} ids`);
}

/** A lazy listing of `operation`, starting at `firstPage` and following `links.next`. */
export function paged<S extends z.ZodType>(
  transport: Transport,
  operation: KlaviyoOperationId,
  firstPage: string,
  item: S,
  resource?: string,
): PageIterator<z.infer<S>> {
  const documentSchema = listDocumentSchema(item);
  return createPageIterator(async (next) => {
    const doc = await transport.request(
      {
        operation,
        pathAndQuery: next ?? firstPage,
        ...(resource !== undefined ? { resource } : {}),
      },
      documentSchema,
    );
    return { items: doc.data as z.infer<S>[], next: doc.links?.next };
  });
}

/** Every id of a relationship endpoint, across all pages. */
export async function relatedIds(
  transport: Transport,
  operation: KlaviyoOperationId,
  firstPage: string,
  type: string,
  resource: string,
): Promise<string[]> {
  const items = await paged(
    transport,
    operation,
    firstPage,
    identifierSchema(type),
    resource,
  ).toArray();
  return items.map((item) => item.id);
}

/** How a resource is named in 404 messages. */
export function describeResource(type: string, id: string): string {
  return `${type} ${JSON.stringify(id)}`;
}
