import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { ServerAuth } from './plugins/auth.js';

export type { ServerAuth } from './plugins/auth.js';

const ADMINS_HOW_TO =
  'List in SERVER_ADMINS the SERVER_USERS names, and token:<n> for the n-th SERVER_TOKENS entry ' +
  '(counting from 1), who may change the queues, e.g. SERVER_ADMINS=ops,token:1';

const HOW_TO =
  'Set SERVER_TOKENS (comma-separated bearer tokens, for machines) and/or ' +
  'SERVER_USERS (name:password pairs, comma-separated, for the dashboard), ' +
  'e.g. SERVER_USERS=ops:s3cret,alice:pa55';

const list = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const UserSchema = z.string().transform((pair, ctx) => {
  // Split on the first colon only: a password may contain colons, a name may not.
  const colon = pair.indexOf(':');
  const name = colon < 0 ? '' : pair.slice(0, colon);
  const password = colon < 0 ? '' : pair.slice(colon + 1);
  if (name === '' || password === '') {
    ctx.addIssue({
      code: 'custom',
      message: 'SERVER_USERS: each entry must be name:password with both parts non-empty',
    });
    return z.NEVER;
  }
  return { name, password };
});

const ServerEnvSchema = z
  .object({
    SERVER_TOKENS: z.string().optional().transform(list),
    SERVER_USERS: z.string().optional().transform(list).pipe(z.array(UserSchema)),
  })
  .transform(({ SERVER_TOKENS, SERVER_USERS }) => ({ tokens: SERVER_TOKENS, users: SERVER_USERS }));

/** SERVER_ADMINS entries that name no configured principal, each with why. */
function unknownAdmins(admins: readonly string[], auth: ServerAuth): string[] {
  const names = new Set(auth.users.map((u) => u.name));
  return admins.flatMap((entry) => {
    const token = /^token:(\d+)$/.exec(entry);
    if (token !== null) {
      const n = Number(token[1]);
      return n >= 1 && n <= auth.tokens.length
        ? []
        : [`"${entry}" (SERVER_TOKENS has ${auth.tokens.length} token(s))`];
    }
    return names.has(entry) ? [] : [`"${entry}" (not a SERVER_USERS name)`];
  });
}

/**
 * The server's auth settings from the environment (passed in; only the CLI reads `process.env`):
 * tokens, users, and SERVER_ADMINS, who may change the queues (none by default).
 * @throws ConfigError when neither tokens nor users are set, a user entry is malformed, or an
 *   admin names no configured user or token; the message says how to fix it and never echoes a
 *   secret.
 */
export function parseServerAuth(env: Record<string, string | undefined>): ServerAuth {
  const parsed = ServerEnvSchema.safeParse({
    SERVER_TOKENS: env['SERVER_TOKENS'],
    SERVER_USERS: env['SERVER_USERS'],
  });
  if (!parsed.success) {
    const messages = [...new Set(parsed.error.issues.map((issue) => issue.message))];
    throw new ConfigError(`Invalid server auth settings: ${messages.join('; ')}. ${HOW_TO}`);
  }
  if (parsed.data.tokens.length === 0 && parsed.data.users.length === 0) {
    throw new ConfigError(
      `The server refuses anonymous access and no credentials are set. ${HOW_TO}`,
    );
  }
  const admins = list(env['SERVER_ADMINS']);
  const unknown = unknownAdmins(admins, parsed.data);
  if (unknown.length > 0) {
    throw new ConfigError(
      `SERVER_ADMINS names no configured user or token: ${unknown.join(', ')}. ${ADMINS_HOW_TO}`,
    );
  }
  return { ...parsed.data, admins };
}
