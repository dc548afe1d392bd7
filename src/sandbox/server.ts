import multipart from '@fastify/multipart';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from '../logger.js';
import { authorize, checkRevision } from './auth.js';
import type { FaultInjector } from './faults.js';
import { ApiProblem, problem } from './http-errors.js';
import type { Indexer } from './indexing.js';
import { OPERATIONS, type OperationDef } from './operations.js';
import { parseQuery } from './query.js';
import type { SandboxRateLimiter } from './rate-limit.js';
import { agentSkillHandlers } from './routes/agent-skills.js';
import { conversationHandlers } from './routes/conversations.js';
import type { HandlerMap, RequestContext } from './routes/context.js';
import { knowledgeHandlers } from './routes/knowledge.js';
import { reportResponseHandlers } from './routes/reports-responses.js';
import { toolSecretHandlers } from './routes/tools-secrets.js';
import { Serializer } from './serializers.js';
import type { StatsCollector } from './stats.js';
import type { SandboxStore } from './store.js';

/** Everything the HTTP layer needs, built by `startSandbox`. */
export interface ServerDeps {
  store: SandboxStore;
  limiter: SandboxRateLimiter;
  faults: FaultInjector;
  stats: StatsCollector;
  indexer: Indexer;
  logger: Logger;
  now: () => number;
  /** The sandbox's public URL, known once it listens. */
  baseUrl: () => string;
}

export const JSON_API = 'application/vnd.api+json';

const HANDLERS: HandlerMap = {
  ...agentSkillHandlers,
  ...toolSecretHandlers,
  ...knowledgeHandlers,
  ...conversationHandlers,
  ...reportResponseHandlers,
};

const opByRoute = new Map(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op]));

function operationOf(request: FastifyRequest): OperationDef | undefined {
  return opByRoute.get(`${request.method} ${request.routeOptions.url ?? ''}`);
}

/** Builds the Fastify app: one route per spec operation plus the cross-cutting hooks. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  // HEAD routes are off: the spec has none, and they would skip the auth hook's operation lookup.
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, exposeHeadRoutes: false });
  registerJsonParser(app);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1 } });
  registerHooks(app, deps);
  app.setErrorHandler((error, request, reply) => sendError(deps, error, request, reply));
  app.setNotFoundHandler((request, reply) => sendError(deps, noRoute(request), request, reply));
  for (const op of OPERATIONS) {
    const handler = HANDLERS[op.id];
    if (!handler) throw new Error(`no sandbox handler for ${op.id}`);
    app.route({
      method: op.method,
      url: op.path,
      handler: async (request, reply) => {
        const ctx = context(deps, op, request);
        checkContentType(op, request);
        const result = await handler(ctx);
        void reply.code(result.status);
        return result.body === undefined ? reply.send() : reply.type(JSON_API).send(result.body);
      },
    });
  }
  return app;
}

/** JSON and JSON:API bodies; an empty body is allowed (DELETE with a content type), bad JSON is a 400. */
function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    ['application/json', JSON_API],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(problem(400, 'The request body is not valid JSON.', 'parse_error'));
      }
    },
  );
}

/** In order: faults, auth and scope, revision, rate limit; then headers and counters on the way out. */
function registerHooks(app: FastifyInstance, deps: ServerDeps): void {
  app.addHook('onRequest', async (request, reply) => {
    deps.stats.received();
    if (deps.faults.enabled && (await injectFault(deps, request, reply))) return;
    const op = operationOf(request);
    if (!op) return;
    const account = authorize(request.headers.authorization, op);
    checkRevision(header(request, 'revision'));
    const headers = await deps.limiter.consume(account, op.group);
    if (headers) void reply.headers(headers);
  });

  // JSON:API allows no media type parameters (Fastify would add `; charset=utf-8`).
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith(JSON_API)) {
      void reply.header('content-type', JSON_API);
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const op = operationOf(request)?.id ?? 'unknown';
    deps.stats.responded(op, reply.statusCode);
    deps.logger.debug(
      { op, method: request.method, url: request.url, status: reply.statusCode },
      'sandbox request',
    );
  });
}

/** 405 (with `Allow`) when the path exists for other methods, else 404. */
function noRoute(request: FastifyRequest): ApiProblem {
  const path = request.url.split('?')[0] ?? '';
  const allowed = OPERATIONS.filter((op) => pathMatches(op.path, path)).map((op) => op.method);
  if (allowed.length === 0) return problem(404, `No endpoint at ${request.method} ${path}.`);
  const detail = `${request.method} is not allowed here; use ${allowed.join(', ')}.`;
  return new ApiProblem(405, [{ detail }], { Allow: allowed.join(', ') });
}

function context(deps: ServerDeps, op: OperationDef, request: FastifyRequest): RequestContext {
  const query = parseQuery(op, request.query as Record<string, unknown>);
  const base = deps.baseUrl();
  return {
    op,
    store: deps.store,
    query,
    id: (request.params as { id?: string }).id ?? '',
    body: request.body,
    selfUrl: canonicalUrl(base, request.url),
    ser: new Serializer(base, deps.store, query.fields),
    now: deps.now,
    indexing: deps.indexer,
    request,
  };
}

/** JSON bodies must be JSON:API or JSON; the file upload must be multipart. */
function checkContentType(op: OperationDef, request: FastifyRequest): void {
  if (op.method !== 'POST' && op.method !== 'PATCH') return;
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const multipartOp = op.id === 'create_agent_knowledge_file_beta';
  const ok = multipartOp
    ? type === 'multipart/form-data'
    : type === JSON_API || type === 'application/json' || type === '';
  if (!ok) {
    const expected = multipartOp ? 'multipart/form-data' : JSON_API;
    throw new ApiProblem(415, [
      { detail: `Content-Type '${type}' is not supported here; send ${expected}.` },
    ]);
  }
}

/** Applies latency, a dropped connection or a 503. Returns true when the request was dropped. */
async function injectFault(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const decision = deps.faults.decide();
  if (decision.delayMs > 0) {
    deps.stats.fault('delayed');
    await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
  }
  if (decision.drop) {
    deps.stats.fault('drops');
    reply.hijack();
    request.raw.socket.destroy();
    return true;
  }
  if (decision.error) {
    deps.stats.fault('errors');
    throw problem(503, 'The service is temporarily unavailable (injected fault). Retry later.');
  }
  return false;
}

function sendError(deps: ServerDeps, error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const apiProblem = toProblem(error);
  if (apiProblem.status >= 500 && !(error instanceof ApiProblem)) {
    deps.logger.error({ err: error, url: request.url }, 'sandbox handler failed');
  }
  return reply
    .code(apiProblem.status)
    .headers(apiProblem.headers)
    .type(JSON_API)
    .send(apiProblem.body());
}

function toProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode ?? 500;
  if (status === 415) return problem(415, `Unsupported Content-Type; send ${JSON_API}.`);
  if (status === 413) return problem(413, 'The request body is too large.');
  if (status >= 400 && status < 500) {
    const detail = fastifyError.code?.startsWith('FST_ERR_CTP')
      ? 'The request body is not valid JSON.'
      : (fastifyError.message ?? 'Bad request.');
    return new ApiProblem(400, [{ code: 'parse_error', detail, source: { pointer: '/' } }]);
  }
  return problem(500, 'The sandbox failed to handle this request.');
}

/** The request URL, absolute and with its query percent-encoded (`[` and `]` are not URI-safe). */
function canonicalUrl(base: string, requestUrl: string): string {
  const url = new URL(requestUrl, base);
  const query = url.searchParams.toString();
  return `${base}${url.pathname}${query ? `?${query}` : ''}`;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function pathMatches(pattern: string, path: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/:id/g, '[^/]+')}$`);
  return regex.test(path);
}
