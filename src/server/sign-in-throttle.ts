import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisConnection } from '../redis.js';
import { controlKey, storePrefix } from '../store/keys.js';

/**
 * Failed sign-ins (a wrong bearer token or Basic password) counted per client address in Redis,
 * so every server process of a deployment shares the count. Once an address has used its
 * attempts, every credentialed request from it is refused until the window ends, right
 * credentials included: otherwise a guesser would learn which guess was right.
 */
export interface SignInThrottle {
  /** Milliseconds until `address` may try again, or 0 when it may now. */
  blockedFor(address: string): Promise<number>;
  /** Counts one failed sign-in from `address`. */
  failed(address: string): Promise<void>;
}

export interface SignInThrottleOptions {
  redis: RedisConnection;
  /** The deployment's key prefix (QUEUE_PREFIX). */
  keyPrefix: string;
  attempts: number;
  windowSeconds: number;
}

export function createSignInThrottle(options: SignInThrottleOptions): SignInThrottle {
  const { attempts, windowSeconds } = options;
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: controlKey(storePrefix({ prefix: options.keyPrefix }), 'sign-in-failures'),
    points: attempts,
    duration: windowSeconds,
    // While Redis is unreachable each process still counts on its own, rather than not at all.
    insuranceLimiter: new RateLimiterMemory({ points: attempts, duration: windowSeconds }),
  });
  return {
    async blockedFor(address) {
      const state = await limiter.get(address);
      return state !== null && state.consumedPoints >= attempts ? state.msBeforeNext : 0;
    },
    async failed(address) {
      await limiter.penalty(address, 1);
    },
  };
}
