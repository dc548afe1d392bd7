import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { ServerAuth } from './plugins/auth.js';

export type { ServerAuth } from './plugins/auth.js';

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

/**
 * The server's auth settings from the environment (passed in; only the CLI reads `process.env`).
 * @throws ConfigError when neither tokens nor users are set, or a user entry is malformed; the
 *   message says how to set them and never echoes a secret.
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
  return parsed.data;
}
