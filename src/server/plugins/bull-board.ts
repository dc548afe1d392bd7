import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Queues } from '../../queue/index.js';
import { QUEUE_NAMES } from '../../queue/index.js';
import { isAdmin } from './auth.js';
import { replyProblem } from './errors.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * The dashboard's own page loads its scripts and styles from itself (and its fonts from Google),
 * so it gets a CSP of its own; it still may not be framed.
 */
const DASHBOARD_CSP = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
    fontSrc: ["'self'", 'https://fonts.gstatic.com', 'data:'],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** Methods that only read; anything else on the dashboard changes a queue or a job. */
const READ_METHODS = new Set(['GET', 'HEAD']);

interface QueueView {
  readOnlyMode?: boolean;
  allowRetries?: boolean;
}

/**
 * The queue dashboard at `/admin/queues` over every queue, behind the server-wide auth hook.
 * Everyone signed in may look; only SERVER_ADMINS may change anything (pause, resume, retry,
 * clean, empty, obliterate, add or edit jobs): any other method than GET is refused with 403 for
 * the rest, and their dashboard is shown read-only (no buttons that would be refused).
 */
const bullBoardPlugin: FastifyPluginAsync<{ queues: Queues; admins: readonly string[] }> = async (
  server,
  options,
) => {
  const { admins } = options;
  const admin = (request: FastifyRequest) => isAdmin(request.principal, admins);
  server.addHook('onRequest', async (request, reply) => {
    // Replaces the pages' CSP the server-wide helmet set; the other headers stay.
    reply.helmet({ contentSecurityPolicy: DASHBOARD_CSP });
    if (READ_METHODS.has(request.method) || admin(request)) return;
    return replyProblem(request, reply, {
      status: 403,
      title: 'Changing the queues is for admins',
      detail:
        'You may look at the queues, but pausing, retrying, cleaning or editing jobs is for the server admins.',
      next: 'Ask an operator listed in SERVER_ADMINS to do it.',
    });
  });
  // The UI hides its controls for read-only queues: non-admins see it that way.
  server.addHook('preSerialization', async (request, _reply, payload: unknown) => {
    if (admin(request) || !isQueueList(payload)) return payload;
    return {
      ...payload,
      queues: payload.queues.map((q) => ({ ...q, readOnlyMode: true, allowRetries: false })),
    };
  });
  const adapter = new FastifyAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map(
      (name) =>
        new BullMQAdapter(options.queues[name], { readOnlyMode: false, allowRetries: true }),
    ),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'agent-trainer' } },
  });
  await server.register(adapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
};

/** The body of `GET /api/queues`: `{ queues: [...] }`. */
function isQueueList(payload: unknown): payload is { queues: QueueView[] } {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    Array.isArray((payload as { queues?: unknown }).queues)
  );
}

export default bullBoardPlugin;
