import { createHash } from 'node:crypto';
import type { RedisConnection } from '../redis.js';
import { ConfigError, RequestValidationError } from '../errors.js';

/**
 * Key layout of the stores, all under one prefix and Redis-Cluster ready: keys that a Lua script
 * or pipeline touches together share a hash tag, so they live in one slot.
 *
 *   <prefix>:{acct:<accountId>}:...   per-account data (checkpoints, snapshots, diagnoses, reports)
 *   <prefix>:{control}:...            proposals, their indexes, write intents and the audit stream,
 *                                     which transitions update atomically together
 */

export const DEFAULT_STORE_PREFIX = 'agent-trainer';

export interface StoreOptions {
  /**
   * Key prefix; braces are stripped (the stores place their own hash tags), so the queue prefix
   * `{agent-trainer}` can be passed as is. @defaultValue 'agent-trainer'
   */
  prefix?: string;
  /** Clock for timestamps and retention. @defaultValue () => new Date() */
  now?: () => Date;
}

/** The store prefix without hash-tag braces. */
export function storePrefix(options: StoreOptions = {}): string {
  const prefix = (options.prefix ?? DEFAULT_STORE_PREFIX).replace(/[{}]/g, '').trim();
  if (prefix === '' || /\s/.test(prefix)) {
    throw new ConfigError(
      `Store prefix "${options.prefix ?? ''}" is invalid: use a non-empty word.`,
    );
  }
  return prefix;
}

/** Keys of one account's data; the `{acct:<id>}` hash tag keeps them in one slot. */
export function accountKey(prefix: string, accountId: string, ...rest: string[]): string {
  return [`${prefix}:{acct:${accountId}}`, ...rest].join(':');
}

/** Keys of the approval/apply control plane, all in the `{control}` slot. */
export function controlKey(prefix: string, ...rest: string[]): string {
  return [`${prefix}:{control}`, ...rest].join(':');
}

/** Milliseconds since the epoch of an ISO timestamp, or a clear error. */
export function toMillis(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new RequestValidationError(`${what} "${iso}" is not an ISO date-time`);
  return ms;
}

/**
 * A Lua script run with EVALSHA, falling back to EVAL when the server does not know it (first
 * use, or after a Redis restart flushed the script cache).
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisConnection, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
