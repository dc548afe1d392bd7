import {
  KnowledgeFileUploadSchema,
  KnowledgeSchema,
  KnowledgeSourceCreateSchema,
  KnowledgeUpdateSchema,
  type Knowledge,
  type KnowledgeFileUpload,
  type KnowledgeSourceCreate,
  type KnowledgeUpdate,
} from '../schemas/knowledge.js';
import { singleDocumentSchema } from '../schemas/common.js';
import type { PageIterator } from '../pagination.js';
import { validateRequest, withQuery } from '../request.js';
import type { Transport } from '../transport.js';
import { createCrud } from './crud.js';
import { paged, pageSizeParam } from './shared.js';

export interface KnowledgeListParams {
  pageSize?: number | undefined;
  /** @defaultValue '-created_at' (newest first) */
  sort?: '-created_at' | '-id' | undefined;
}

export interface KnowledgeResource {
  list(params?: KnowledgeListParams): PageIterator<Knowledge>;
  get(id: string): Promise<Knowledge>;
  /** Adds a snippet or a webpage; it indexes asynchronously (poll `status`). */
  create(source: KnowledgeSourceCreate): Promise<Knowledge>;
  /** Edits a snippet's `title` or `content` (re-indexed automatically). */
  update(id: string, attributes: KnowledgeUpdate): Promise<Knowledge>;
  delete(id: string): Promise<void>;
  /** Uploads a file (multipart) as knowledge with `source_type: file`. */
  uploadFile(input: KnowledgeFileUpload): Promise<Knowledge>;
}

const KnowledgeCreateAttributes = KnowledgeSourceCreateSchema;

export function createKnowledgeResource(t: Transport): KnowledgeResource {
  const crud = createCrud(t, {
    type: 'agent-knowledge',
    path: '/api/agent-knowledge',
    ops: {
      get: 'get_agent_knowledge_beta',
      create: 'create_agent_knowledge_beta',
      update: 'update_agent_knowledge_beta',
      delete: 'delete_agent_knowledge_beta',
    },
    // create() takes the source; the attributes wrapper is added below.
    schema: KnowledgeSchema,
    createSchema: KnowledgeCreateAttributes.transform((source) => ({ source })),
    updateSchema: KnowledgeUpdateSchema,
  });
  const document = singleDocumentSchema(KnowledgeSchema);

  return {
    list(params = {}) {
      const first = withQuery('/api/agent-knowledge', {
        sort: params.sort,
        'page[size]': pageSizeParam(params.pageSize),
      });
      return paged(t, 'list_agent_knowledge_beta', first, KnowledgeSchema);
    },
    get: crud.get,
    create: (source) => crud.create(source),
    update: (id, attributes) => crud.update(id, attributes),
    delete: crud.delete,

    async uploadFile(input) {
      const valid = validateRequest(KnowledgeFileUploadSchema, input, 'knowledge file');
      const form = new FormData();
      form.set('title', valid.title ?? valid.filename);
      const type = valid.contentType ?? 'application/octet-stream';
      form.set('file', new Blob([valid.content], { type }), valid.filename);
      const doc = await t.request(
        {
          operation: 'create_agent_knowledge_file_beta',
          pathAndQuery: '/api/agent-knowledge-files',
          form,
        },
        document,
      );
      return doc.data;
    },
  };
}
