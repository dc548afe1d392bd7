import type { z } from 'zod';
import { operationPath, type KlaviyoOperationId } from '../operations.js';
import { singleDocumentSchema } from '../schemas/common.js';
import { validateRequest } from '../request.js';
import type { Transport } from '../transport.js';
import { describeResource, requireId } from './shared.js';

/** The four single-resource operations of one resource type. */
export interface CrudSpec<S extends z.ZodType, C extends z.ZodType, U extends z.ZodType> {
  type: string;
  /** Collection path, for create. */
  path: string;
  ops: {
    get: KlaviyoOperationId;
    create: KlaviyoOperationId;
    update: KlaviyoOperationId;
    delete: KlaviyoOperationId;
  };
  schema: S;
  createSchema: C;
  updateSchema: U;
}

/** Extra members of `data` in a write, e.g. `relationships`. */
export type DataExtras = Record<string, unknown>;

/**
 * get / create / update / delete for a JSON:API resource: validates our attributes, wraps them
 * in `{ data: { type, id?, attributes, ... } }` and validates the returned document.
 */
export function createCrud<S extends z.ZodType, C extends z.ZodType, U extends z.ZodType>(
  t: Transport,
  spec: CrudSpec<S, C, U>,
) {
  const documentSchema = singleDocumentSchema(spec.schema);
  const { type, ops } = spec;

  const call = async (
    operation: KlaviyoOperationId,
    id: string | undefined,
    json?: unknown,
  ): Promise<z.infer<S>> => {
    const doc = await t.request(
      {
        operation,
        pathAndQuery: id === undefined ? spec.path : operationPath(operation, id),
        ...(json !== undefined ? { json } : {}),
        ...(id !== undefined ? { resource: describeResource(type, id) } : {}),
      },
      documentSchema,
    );
    return (doc as { data: z.infer<S> }).data;
  };

  return {
    async get(id: string): Promise<z.infer<S>> {
      return call(ops.get, requireId(id, type));
    },

    async create(attributes: z.input<C>, extras: DataExtras = {}): Promise<z.infer<S>> {
      const valid = validateRequest(spec.createSchema, attributes, `${type} attributes`);
      return call(ops.create, undefined, { data: { type, attributes: valid, ...extras } });
    },

    async update(id: string, attributes: z.input<U>, extras: DataExtras = {}): Promise<z.infer<S>> {
      requireId(id, type);
      const valid = validateRequest(spec.updateSchema, attributes, `${type} update`);
      return call(ops.update, id, { data: { type, id, attributes: valid, ...extras } });
    },

    async delete(id: string): Promise<void> {
      await t.send({
        operation: ops.delete,
        pathAndQuery: operationPath(ops.delete, requireId(id, type)),
        resource: describeResource(type, id),
      });
    },
  };
}
