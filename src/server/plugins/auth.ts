import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** Who may call the server: bearer tokens for machines, users (HTTP Basic) for the UI. */
export interface ServerAuth {
  tokens: string[];
  users: { name: string; password: string }[];
}

/** Who a request was authenticated as; the name only, never the secret. */
export type Principal = { kind: 'token'; index: number } | { kind: 'user'; name: string };

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

async function refuse(reply: FastifyReply): Promise<void> {
  // Both schemes are offered: browsers prompt for Basic, machines read the Bearer challenge.
  await reply
    .code(401)
    .header('WWW-Authenticate', `Basic realm="${AUTH_REALM}", Bearer realm="${AUTH_REALM}"`)
    .send({ error: 'unauthorized' });
}

/**
 * Requires a valid bearer token or Basic user on every route of the server (including unknown
 * paths), except routes declared with `config: { public: true }`. Registered without
 * encapsulation so its hook covers sibling plugins.
 */
const authPlugin: FastifyPluginAsync<{ auth: ServerAuth }> = async (app, options) => {
  const credentials = toCredentials(options.auth);
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config.public === true) return;
    const principal = authenticate(request.headers.authorization, credentials);
    if (!principal) return refuse(reply);
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
