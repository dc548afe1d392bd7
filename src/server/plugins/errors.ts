import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { errorPage, type Problem } from '../web/error-page.js';

export type { Problem } from '../web/error-page.js';

/**
 * How the server answers what it cannot serve: a browser (Accept: text/html) gets a page saying
 * what happened and what to do, an API client gets JSON with the same words. Registered without
 * encapsulation, first, so every route's errors and unknown paths come through here.
 */

/** Whether the client asked for a page rather than data. */
export function wantsHtml(request: FastifyRequest): boolean {
  return /\btext\/html\b/.test(request.headers.accept ?? '');
}

/** Who a page's header names: the signed-in user, a token, or nobody. */
export function whoIs(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === undefined) return 'not signed in';
  return principal.kind === 'user'
    ? `signed in as ${principal.name}`
    : 'signed in with a token (read-only)';
}

/** Sends `problem` as a page or as JSON, whichever the client asked for. */
export function replyProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
): FastifyReply {
  reply.code(problem.status);
  if (wantsHtml(request)) {
    return reply.type('text/html; charset=utf-8').send(errorPage(problem, whoIs(request)));
  }
  const { title, detail, next } = problem;
  return reply.send({ error: title, detail, next });
}

/** The problem for a thrown error: a client error keeps its words, a server error hides them. */
function problemOf(error: FastifyError, request: FastifyRequest): Problem {
  const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
  if (status < 500) {
    return {
      status,
      title: status === 413 ? 'Too much data' : 'Bad request',
      detail: error.message,
      next: 'Go back, correct the form or the address, and try again.',
    };
  }
  return {
    status,
    title: 'Something went wrong on the server',
    detail: `The request failed and was logged as ${request.id}.`,
    next: 'Try again in a moment; if it keeps failing, give the operator that id.',
  };
}

/**
 * For Fastify's `frameworkErrors` option: an address the router cannot take (bad encoding, a
 * path segment over 100 characters) answered like every other error, before any route or hook.
 */
export function frameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  return replyProblem(request, reply, {
    status: error.statusCode ?? 400,
    title: 'Bad address',
    detail: 'The address is malformed or too long for this server.',
    next: 'Check the link, or start from the proposals list.',
  });
}

const errorsPlugin: FastifyPluginAsync = async (server) => {
  server.setErrorHandler(async (error: FastifyError, request, reply) => {
    const problem = problemOf(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return replyProblem(request, reply, problem);
  });
  server.setNotFoundHandler(async (request, reply) =>
    replyProblem(request, reply, {
      status: 404,
      title: 'Page not found',
      detail: `Nothing is served at ${(request.url.split('?')[0] ?? '/').slice(0, 200)}.`,
      next: 'Check the address, or start from the proposals list.',
    }),
  );
};

Object.assign(errorsPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'errors',
});

export default errorsPlugin;
