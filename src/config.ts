import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * All settings, parsed once at start. This is the only module that reads `process.env`; everything
 * else receives a typed `Config`. A bad value fails fast with a message naming the variable.
 */

export const DEFAULT_REVISION = '2026-07-15.pre';
export const DEFAULT_KLAVIYO_BASE_URL = 'https://a.klaviyo.com';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const EnvSchema = z.object({
  KLAVIYO_BASE_URL: z
    .url({ error: 'must be a URL such as https://a.klaviyo.com' })
    .default(DEFAULT_KLAVIYO_BASE_URL),
  KLAVIYO_API_KEY: optionalString,
  KLAVIYO_WRITE_API_KEY: optionalString,
  KLAVIYO_REVISION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, { error: 'must look like 2026-07-15.pre' })
    .default(DEFAULT_REVISION),
  REDIS_URL: optionalString.pipe(
    z.url({ error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  klaviyo: {
    baseUrl: string;
    revision: string;
    /** Key used for reads (pull, diagnose). */
    readKey: string | undefined;
    /** Key used for writes (apply, verify); falls back to the read key. */
    writeKey: string | undefined;
  };
  redisUrl: string | undefined;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    klaviyo: {
      baseUrl: e.KLAVIYO_BASE_URL,
      revision: e.KLAVIYO_REVISION,
      readKey: e.KLAVIYO_API_KEY,
      writeKey: e.KLAVIYO_WRITE_API_KEY ?? e.KLAVIYO_API_KEY,
    },
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
  };
}
