import { Redis } from 'ioredis';
import { AppError, describeError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';

/**
 * Redis connections and the start-up check. Every part of the loop keeps its state in Redis (jobs,
 * checkpoints, proposals, audit), so a Redis that evicts keys under memory pressure silently loses
 * work: the worker refuses to start unless `maxmemory-policy` is `noeviction`.
 */

/** ioredis 6 refuses servers older than this (its README), and BullMQ 6 recommends it too. */
export const MIN_REDIS_VERSION = '6.2.0';

export interface CreateRedisOptions {
  /** Shown in `CLIENT LIST` as `agent-trainer:<name>` and in logs. */
  name: string;
  logger?: Logger;
  /**
   * BullMQ workers block on Redis and require `maxRetriesPerRequest: null` (commands wait through
   * a reconnect instead of failing); other users get ioredis' bounded retries.
   * @defaultValue false
   */
  forBullmq?: boolean;
}

/**
 * Opens a connection. Connection errors are logged once per outage (ioredis reconnects by
 * itself), never with the password: the URL is always redacted.
 */
export function createRedis(url: string, options: CreateRedisOptions): Redis {
  const log = (options.logger ?? silentLogger).child({ redis: options.name });
  const redis = new Redis(url, {
    connectionName: `agent-trainer:${options.name}`,
    maxRetriesPerRequest: options.forBullmq ? null : 20,
  });
  let failing = false;
  redis.on('error', (error: unknown) => {
    if (failing) return;
    failing = true;
    log.warn({ url: redactRedisUrl(url), err: describeError(error) }, 'redis connection error');
  });
  redis.on('ready', () => {
    if (failing) log.info({ url: redactRedisUrl(url) }, 'redis connection restored');
    failing = false;
  });
  return redis;
}

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`; unparsable input is hidden. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid redis url>';
  }
}

/** Where a connection points, rebuilt from its options so that no password can leak. */
export function describeRedisTarget(redis: Redis): string {
  const { host, port, db, path } = redis.options;
  if (path) return `redis+unix://${path}`;
  const scheme = redis.options.tls ? 'rediss' : 'redis';
  return `${scheme}://${host ?? '127.0.0.1'}:${port ?? 6379}${db ? `/${db}` : ''}`;
}

export interface RedisCheck {
  /** `redis_version` from INFO, or null when INFO did not say. */
  version: string | null;
  /** The eviction policy, or null when neither CONFIG nor INFO revealed it. */
  maxmemoryPolicy: string | null;
  ok: boolean;
  /** Each one is fatal; the message says how to fix it. */
  problems: string[];
  /** Things we could not verify (e.g. CONFIG disabled on a managed Redis); not fatal. */
  warnings: string[];
}

export interface RedisFacts {
  /** The raw text of `INFO server` + `INFO memory`. */
  info: string;
  /** The value from `CONFIG GET maxmemory-policy`, or an error when CONFIG is refused. */
  config: { policy: string | null } | { error: string };
}

/** Pure assessment of what the server told us; `target` appears in messages. */
export function assessRedis(facts: RedisFacts, target: string): RedisCheck {
  const info = parseInfo(facts.info);
  const version = info.get('redis_version') ?? null;
  const fromConfig = 'policy' in facts.config ? facts.config.policy : null;
  const maxmemoryPolicy = fromConfig ?? info.get('maxmemory_policy') ?? null;
  const problems: string[] = [];
  const warnings: string[] = [];
  if (maxmemoryPolicy === null) {
    const why =
      'error' in facts.config ? `CONFIG GET failed: ${facts.config.error}` : 'not reported';
    warnings.push(
      `Could not read maxmemory-policy of Redis at ${target} (${why}). Make sure it is ` +
        'noeviction in your provider settings, or queued jobs can be silently lost.',
    );
  } else if (maxmemoryPolicy !== 'noeviction') {
    problems.push(
      `Redis at ${target} uses maxmemory-policy ${maxmemoryPolicy}; set it to noeviction ` +
        '(`CONFIG SET maxmemory-policy noeviction`, or in redis.conf / your provider settings) ' +
        'or queued jobs can be silently lost.',
    );
  }
  if (version === null) {
    warnings.push(
      `Could not read the version of Redis at ${target}; ${MIN_REDIS_VERSION}+ is needed.`,
    );
  } else if (compareVersions(version, MIN_REDIS_VERSION) < 0) {
    problems.push(
      `Redis at ${target} is version ${version}; agent-trainer needs ${MIN_REDIS_VERSION} or newer.`,
    );
  }
  return { version, maxmemoryPolicy, ok: problems.length === 0, problems, warnings };
}

/** Asks the server for its version and eviction policy. Does not throw on a refused CONFIG. */
export async function checkRedis(redis: Redis): Promise<RedisCheck> {
  const info = `${await redis.info('server')}\n${await redis.info('memory')}`;
  let config: RedisFacts['config'];
  try {
    const reply = await redis.config('GET', 'maxmemory-policy');
    config = { policy: Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null };
  } catch (error) {
    config = { error: describeError(error) };
  }
  return assessRedis({ info, config }, describeRedisTarget(redis));
}

/**
 * Fails start-up with one clear message when Redis is unreachable or unsafe for queues.
 * Returns the check so the caller can log its warnings.
 */
export async function assertRedisReady(
  redis: Redis,
  options: { timeoutMs?: number } = {},
): Promise<RedisCheck> {
  const target = describeRedisTarget(redis);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let check: RedisCheck;
  let timer: NodeJS.Timeout | undefined;
  // ioredis keeps retrying a down server; start-up should fail in seconds, not minutes.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    check = await Promise.race([redis.ping().then(() => checkRedis(redis)), timeout]);
  } catch (error) {
    throw new AppError(`Redis at ${target} is not reachable: ${describeError(error)}`, {
      code: 'redis_unavailable',
      retryable: true,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  if (!check.ok) {
    throw new AppError(check.problems.join('\n'), { code: 'redis_unavailable', retryable: false });
  }
  return check;
}

function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
