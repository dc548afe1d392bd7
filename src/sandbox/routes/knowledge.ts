import type {} from '@fastify/multipart';
import { ApiProblem, conflict, invalidPointer } from '../http-errors.js';
import { KnowledgeCreate, KnowledgeUpdate, parseBody } from '../request-schemas.js';
import { SandboxStore, type KnowledgeState } from '../store.js';
import { found, paged, single, type HandlerMap, type RequestContext } from './context.js';

/** Knowledge: snippets, webpages (unique by normalized URL) and uploaded files. */
export const knowledgeHandlers: HandlerMap = {
  list_agent_knowledge_beta: (ctx) => {
    const byId = ctx.query.sort === '-id';
    const items = [...ctx.store.knowledge.values()].sort((a, b) =>
      byId ? b.id.localeCompare(a.id) : b.created_at - a.created_at || b.id.localeCompare(a.id),
    );
    const key = (k: KnowledgeState) => (byId ? [k.id] : [k.created_at, k.id]);
    return paged(ctx, items, key, (k) => ctx.ser.knowledge(k), true);
  },

  get_agent_knowledge_beta: (ctx) =>
    single(ctx.ser.knowledge(found(ctx.store.knowledge, ctx.id, 'agent-knowledge'))),

  create_agent_knowledge_beta: (ctx) => {
    const { source } = parseBody(KnowledgeCreate, ctx.body, { type: 'agent-knowledge' }).data
      .attributes;
    const at = (field: string) => `/data/attributes/source/${field}`;
    let item: KnowledgeState;
    if (source.source_type === 'snippet') {
      if (source.title.trim() === '') throw invalidPointer(at('title'), 'title must not be empty');
      if (source.content.trim() === '')
        throw invalidPointer(at('content'), 'content must not be empty');
      item = newItem(ctx, 'snippet', { title: source.title, content: source.content });
    } else {
      const url = normalizeUrl(source.url);
      if (!url) throw invalidPointer(at('url'), `'${source.url}' is not a valid http(s) URL`);
      const duplicate = [...ctx.store.knowledge.values()].find((k) => k.url === url);
      if (duplicate) {
        throw conflict(
          `A webpage with the normalized URL '${url}' already exists (${duplicate.id}).`,
          at('url'),
        );
      }
      item = newItem(ctx, 'webpage', {
        url,
        scope: source.scope ?? 'single-page',
        auto_reindex: source.auto_reindex ?? null,
      });
    }
    ctx.store.knowledge.set(item.id, item);
    ctx.indexing.schedule(item);
    return single(ctx.ser.knowledge(item), 201);
  },

  update_agent_knowledge_beta: (ctx) => {
    const item = found(ctx.store.knowledge, ctx.id, 'agent-knowledge');
    const { attributes } = parseBody(KnowledgeUpdate, ctx.body, {
      type: 'agent-knowledge',
      pathId: ctx.id,
    }).data;
    if (item.source_type !== 'snippet') {
      throw invalidPointer(
        '/data/attributes',
        `Only snippets can be updated; '${item.id}' is a ${item.source_type}.`,
      );
    }
    if (attributes.title != null) item.title = attributes.title;
    const contentChanged = attributes.content != null && attributes.content !== item.content;
    if (attributes.content != null) item.content = attributes.content;
    item.updated_at = SandboxStore.bump(item.updated_at, ctx.now());
    // Re-indexing on a content change is automatic; until it ends the agent cannot use the item.
    if (contentChanged) ctx.indexing.schedule(item);
    return single(ctx.ser.knowledge(item));
  },

  delete_agent_knowledge_beta: (ctx) => {
    ctx.store.knowledge.delete(found(ctx.store.knowledge, ctx.id, 'agent-knowledge').id);
    return { status: 204 };
  },

  create_agent_knowledge_file_beta: async (ctx) => {
    const upload = await readUpload(ctx);
    const item = newItem(ctx, 'file', { title: upload.title, content: upload.content });
    ctx.store.knowledge.set(item.id, item);
    ctx.indexing.schedule(item);
    return single(ctx.ser.knowledge(item), 201);
  },
};

function newItem(
  ctx: RequestContext,
  source_type: KnowledgeState['source_type'],
  fields: Partial<KnowledgeState>,
): KnowledgeState {
  const now = ctx.now();
  return {
    id: ctx.store.newId('kn_'),
    source_type,
    title: null,
    content: '',
    url: null,
    scope: null,
    auto_reindex: null,
    status: 'pending',
    error: null,
    created_at: now,
    updated_at: now,
    indexed_at: null,
    ...fields,
  };
}

/**
 * The URL as stored and compared for uniqueness: lower-case scheme and host, no default port,
 * no fragment, no trailing slash.
 */
export function normalizeUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  const text = url.toString();
  return url.pathname === '/' && url.search === '' ? text.replace(/\/$/, '') : text;
}

const TEXT_FILE = /\.(txt|md|markdown|csv|json|html?)$/i;

/** Reads the multipart body: a `title` field and one `file` part, both required. */
async function readUpload(ctx: RequestContext): Promise<{ title: string; content: string }> {
  if (!ctx.request.isMultipart()) {
    throw new ApiProblem(415, [
      { detail: 'This endpoint takes multipart/form-data with a title and a file.' },
    ]);
  }
  let title: string | undefined;
  let content: string | undefined;
  for await (const part of ctx.request.parts()) {
    if (part.type === 'field' && part.fieldname === 'title') title = String(part.value);
    else if (part.type === 'file' && part.fieldname === 'file') {
      const buffer = await part.toBuffer();
      // The sandbox cannot read PDFs or Word files; their text stays empty for the agent.
      const isText = part.mimetype.startsWith('text/') || TEXT_FILE.test(part.filename);
      content = isText ? buffer.toString('utf8') : '';
    } else if (part.type === 'file') {
      await part.toBuffer();
      throw invalidPointer(
        `/${part.fieldname}`,
        `'${part.fieldname}' is not a field of this form; use 'file'`,
      );
    } else {
      throw invalidPointer(
        `/${part.fieldname}`,
        `'${part.fieldname}' is not a field of this form; use 'title'`,
      );
    }
  }
  if (!title?.trim()) throw invalidPointer('/title', 'the form needs a non-empty title field');
  if (content === undefined) throw invalidPointer('/file', 'the form needs a file part named file');
  return { title, content };
}
