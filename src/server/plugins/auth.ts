import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SignInThrottle } from '../sign-in-throttle.js';
import { replyProblem } from './errors.js';

/**
 * Who may call the server: bearer tokens for machines, users (HTTP Basic) for the UI. Every one
 * of them may read; deciding on proposals is for the accounts' approvers (`web:<name>`), and
 * changing the queues (the dashboard's pause, retry, clean, add, edit) for `admins` only.
 */
export interface ServerAuth {
  tokens: string[];
  users: { name: string; password: string }[];
  /**
   * Principals who may change the queues: SERVER_USERS names and `token:<n>` for the n-th
   * SERVER_TOKENS entry (see `principalLabel`). @defaultValue none: the dashboard is read-only
   */
  admins?: readonly string[];
}

/** Who a request was authenticated as; the name only, never the secret. */
export type Principal = { kind: 'token'; index: number } | { kind: 'user'; name: string };

/** How SERVER_ADMINS names a principal: the user's name, or `token:<n>` (1-based) for a token. */
export function principalLabel(principal: Principal): string {
  return principal.kind === 'user' ? principal.name : `token:${principal.index + 1}`;
}

/** Whether the request's principal is listed in `admins`. */
export function isAdmin(principal: Principal | undefined, admins: readonly string[]): boolean {
  return principal !== undefined && admins.includes(principalLabel(principal));
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Serve this route without authentication (only `/healthz`). @defaultValue false */
    public?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export const AUTH_REALM = 'agent-trainer';

// Comparing fixed-length digests lets timingSafeEqual run on secrets of any length without
// leaking the length through an early mismatch.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
const sameSecret = (given: Buffer, expected: Buffer): boolean => timingSafeEqual(given, expected);

interface Credentials {
  tokens: Buffer[];
  users: { name: Buffer; password: Buffer; plainName: string }[];
}

/** The principal for an Authorization header, or undefined. Checks every entry (no early exit). */
export function authenticate(
  header: string | undefined,
  credentials: Credentials,
): Principal | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  const lowered = scheme?.toLowerCase();
  if (lowered === 'bearer' && value !== '') {
    const given = digest(value);
    let found: number | undefined;
    credentials.tokens.forEach((token, index) => {
      if (sameSecret(given, token) && found === undefined) found = index;
    });
    return found === undefined ? undefined : { kind: 'token', index: found };
  }
  if (lowered === 'basic' && value !== '') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const name = digest(decoded.slice(0, colon));
    const password = digest(decoded.slice(colon + 1));
    let found: string | undefined;
    for (const user of credentials.users) {
      // Both comparisons always run, so a right name with a wrong password takes the same time.
      const nameOk = sameSecret(name, user.name);
      const passwordOk = sameSecret(password, user.password);
      if (nameOk && passwordOk && found === undefined) found = user.plainName;
    }
    return found === undefined ? undefined : { kind: 'user', name: found };
  }
  return undefined;
}

/** Digests the configured secrets once, at registration. */
export function toCredentials(auth: ServerAuth): Credentials {
  return {
    tokens: auth.tokens.map(digest),
    users: auth.users.map((u) => ({
      name: digest(u.name),
      password: digest(u.password),
      plainName: u.name,
    })),
  };
}

function refuse(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // Both schemes are offered: browsers prompt for Basic, machines read the Bearer challenge.
  reply.header('WWW-Authenticate', `Basic realm="${AUTH_REALM}", Bearer realm="${AUTH_REALM}"`);
  return replyProblem(request, reply, {
    status: 401,
    title: 'Sign in',
    detail: 'This page needs a user name and password (or a bearer token) that the server knows.',
    next: 'Reload and sign in with a SERVER_USERS name; ask the operator if you have none.',
  });
}

function throttled(request: FastifyRequest, reply: FastifyReply, waitMs: number): FastifyReply {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  reply.header('Retry-After', String(seconds));
  return replyProblem(request, reply, {
    status: 429,
    title: 'Too many failed sign-ins',
    detail: `Too many wrong passwords or tokens came from your address; sign-ins from it are paused for ${seconds} s.`,
    next: 'Wait, then sign in again with the right credentials.',
  });
}

export interface AuthPluginOptions {
  auth: ServerAuth;
  /** Counts failed sign-ins per client address; without it, none are throttled. */
  throttle?: SignInThrottle;
}

/**
 * Requires a valid bearer token or Basic user on every route of the server (including unknown
 * paths), except routes declared with `config: { public: true }`, and throttles failed sign-ins
 * per client address (429 with Retry-After). Registered without encapsulation so its hook covers
 * sibling plugins.
 */
const authPlugin: FastifyPluginAsync<AuthPluginOptions> = async (app, options) => {
  const credentials = toCredentials(options.auth);
  const { throttle } = options;
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config.public === true) return;
    // No Authorization header is no attempt: a browser's first request, answered with the
    // challenge. Requests that carry credentials are counted and, past the limit, refused.
    const header = request.headers.authorization;
    if (header !== undefined && throttle !== undefined) {
      const waitMs = await throttle.blockedFor(request.ip);
      if (waitMs > 0) return throttled(request, reply, waitMs);
    }
    const principal = authenticate(header, credentials);
    if (!principal) {
      if (header !== undefined) {
        request.log.warn({ address: request.ip }, 'failed sign-in');
        await throttle?.failed(request.ip);
      }
      return refuse(request, reply);
    }
    request.principal = principal;
  });
};

// What fastify-plugin's `fp()` does: skip encapsulation so the hook applies to the whole server
// (fastify-plugin is not a direct dependency of this project).
Object.assign(authPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'auth',
});

export default authPlugin;
