import { Cluster, Redis } from 'ioredis';
import { redisSeedUrls } from './config.js';
import { AppError, ConfigError, describeError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';

/**
 * Redis connections and the start-up check. Every part of the loop keeps its state in Redis (jobs,
 * checkpoints, proposals, audit), so a Redis that evicts keys under memory pressure silently loses
 * work: the worker refuses to start unless `maxmemory-policy` is `noeviction` (on every master of
 * a Redis Cluster).
 */

/** A connection to one Redis server, or to a Redis Cluster (`REDIS_CLUSTER=true`). */
export type RedisConnection = Redis | Cluster;

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
  const redis = new Redis(url, nodeOptions(options));
  logOutages(redis, url, options);
  return redis;
}

/** Seeds of the clusters opened here, for messages (ioredis keeps its startup nodes private). */
const clusterSeeds = new WeakMap<Cluster, string>();

/**
 * Opens a Redis Cluster connection from seed URLs (`redis://host:port,redis://host2:port`); it
 * discovers the other nodes and follows MOVED/ASK redirects. Credentials and TLS (`rediss://`)
 * are taken from the first URL and used for every node, including discovered ones.
 */
export function createRedisCluster(urls: string, options: CreateRedisOptions): Cluster {
  const seeds = redisSeedUrls(urls).map((seed) => new URL(seed));
  const first = seeds[0];
  if (!first) throw new ConfigError('REDIS_URL names no Redis Cluster seed node');
  const tls = first.protocol === 'rediss:';
  const cluster = new Cluster(
    seeds.map((seed) => ({
      host: seed.hostname.replace(/^\[|\]$/g, ''),
      port: Number(seed.port || 6379),
    })),
    {
      redisOptions: {
        ...nodeOptions(options),
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        ...(tls ? { tls: {} } : {}),
      },
      // With TLS, managed clusters (ElastiCache) announce hostnames their certificates name;
      // connecting by those names rather than resolved IPs keeps certificate checks passing.
      ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    },
  );
  logOutages(cluster, urls, options);
  clusterSeeds.set(cluster, seeds.map((seed) => seed.host).join(','));
  return cluster;
}

/** A Cluster when `cluster` is set (`REDIS_URL` then lists seed nodes), else one server. */
export function createRedisConnection(
  settings: { url: string; cluster: boolean },
  options: CreateRedisOptions,
): RedisConnection {
  return settings.cluster
    ? createRedisCluster(settings.url, options)
    : createRedis(settings.url, options);
}

/** A new connection like this one (same nodes and options), e.g. for a blocking reader. */
export function duplicateRedis(redis: RedisConnection): RedisConnection {
  // Two branches because the union's `duplicate` signatures cannot be called as one.
  return redis instanceof Cluster ? redis.duplicate() : redis.duplicate();
}

/** The master nodes (a single server is its own master); empty until a cluster has connected. */
export function masterNodes(redis: RedisConnection): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * Unlinks every key matching a SCAN pattern, a page at a time (never KEYS, which blocks Redis);
 * on a cluster, on every master. Returns how many keys went.
 */
export async function unlinkMatching(redis: RedisConnection, pattern: string): Promise<number> {
  let removed = 0;
  for (const node of masterNodes(redis)) {
    for (let cursor = '0'; ;) {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (found.length > 0) removed += await node.unlink(...found);
      cursor = next;
      if (cursor === '0') break;
    }
  }
  return removed;
}

function nodeOptions(options: CreateRedisOptions) {
  return {
    connectionName: `agent-trainer:${options.name}`,
    maxRetriesPerRequest: options.forBullmq ? null : 20,
  };
}

function logOutages(redis: RedisConnection, url: string, options: CreateRedisOptions): void {
  const log = (options.logger ?? silentLogger).child({ redis: options.name });
  let failing = false;
  // Until the first connection, the start-up check (assertRedisReady) reports a Redis that does
  // not answer, in one line; logging it here too would put a JSON line before that message.
  let connected = false;
  const onError = (error: unknown) => {
    if (failing || !connected) return;
    failing = true;
    log.warn({ url: redactRedisUrl(url), err: describeError(error) }, 'redis connection error');
  };
  redis.on('error', onError);
  // A cluster reports a lost node as 'node error', not 'error'.
  if (redis instanceof Cluster) redis.on('node error', onError);
  redis.on('ready', () => {
    if (failing) log.info({ url: redactRedisUrl(url) }, 'redis connection restored');
    failing = false;
    connected = true;
  });
}

/**
 * `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`; unparsable input is hidden.
 * A comma-separated seed list is redacted URL by URL.
 */
export function redactRedisUrl(url: string): string {
  if (url.includes(',')) return redisSeedUrls(url).map(redactRedisUrl).join(',');
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid redis url>';
  }
}

/** Where a connection points, rebuilt from its options so that no password can leak. */
export function describeRedisTarget(redis: RedisConnection): string {
  if (redis instanceof Cluster) {
    const nodes = redis.nodes('all').map((node) => `${node.options.host}:${node.options.port}`);
    return `cluster ${clusterSeeds.get(redis) ?? (nodes.join(',') || '(no node known)')}`;
  }
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

/**
 * Asks the server (every master of a cluster: each one evicts on its own) for its version and
 * eviction policy. Does not throw on a refused CONFIG.
 */
export async function checkRedis(redis: RedisConnection): Promise<RedisCheck> {
  if (redis instanceof Cluster) {
    const checks = await Promise.all(masterNodes(redis).map(checkRedis));
    return combineChecks(checks, describeRedisTarget(redis));
  }
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
  redis: RedisConnection,
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

/**
 * One verdict for a cluster's masters: each message already names its node; the version is the
 * oldest and the policy the first unsafe one, so a one-line summary shows the worst.
 */
export function combineChecks(checks: readonly RedisCheck[], target: string): RedisCheck {
  const versions = checks.flatMap((c) => (c.version === null ? [] : [c.version]));
  const policies = checks.flatMap((c) => (c.maxmemoryPolicy === null ? [] : [c.maxmemoryPolicy]));
  const problems = checks.flatMap((c) => c.problems);
  if (checks.length === 0) problems.push(`Redis at ${target} has no reachable master node.`);
  return {
    version: versions.sort(compareVersions)[0] ?? null,
    maxmemoryPolicy: policies.find((p) => p !== 'noeviction') ?? policies[0] ?? null,
    ok: problems.length === 0,
    problems,
    warnings: checks.flatMap((c) => c.warnings),
  };
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
