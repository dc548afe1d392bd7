import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiProblem } from './http-errors.js';
import { GROUP_LIMITS, type RateLimitGroup } from './operations.js';

/**
 * Klaviyo's rate limits: per account and endpoint group, FIXED windows of 1 s (burst) and 1 min
 * (steady), sizes from the spec's `x-klaviyo-ratelimit`. `scale` divides every window (tests).
 */

/** `spec` limits, `off`, or the spec's windows divided by `scale`. */
export type RateLimitSetting = 'spec' | 'off' | { scale: number };

/** `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` of the steady window. */
export type RateLimitHeaders = Record<string, string>;

interface GroupLimiters {
  burst: RateLimiterMemory;
  steady: RateLimiterMemory;
  steadyLimit: number;
}

/** Burst and steady fixed windows per (account, group). */
export class SandboxRateLimiter {
  private readonly groups: Map<RateLimitGroup, GroupLimiters> | null;

  constructor(setting: RateLimitSetting) {
    if (setting === 'off') {
      this.groups = null;
      return;
    }
    const scale = setting === 'spec' ? 1 : setting.scale;
    this.groups = new Map(
      (Object.keys(GROUP_LIMITS) as RateLimitGroup[]).map((group) => {
        const limits = GROUP_LIMITS[group];
        return [
          group,
          {
            burst: new RateLimiterMemory({
              keyPrefix: `${group}:burst`,
              points: limits.burst,
              duration: 1 / scale,
            }),
            steady: new RateLimiterMemory({
              keyPrefix: `${group}:steady`,
              points: limits.steady,
              duration: 60 / scale,
            }),
            steadyLimit: limits.steady,
          },
        ];
      }),
    );
  }

  /**
   * Counts one request. Resolves with the steady window's headers, or throws a 429 ApiProblem
   * carrying `Retry-After` (whole seconds, at least 1) and `RateLimit-Reset`.
   */
  async consume(account: string, group: RateLimitGroup): Promise<RateLimitHeaders | null> {
    const limiters = this.groups?.get(group);
    if (!limiters) return null;
    // The burst window is checked first so that a request it refuses does not use steady quota.
    await limiters.burst
      .consume(account)
      .catch((res: unknown) => throttled(res, 'burst (per second)'));
    const steady = await limiters.steady
      .consume(account)
      .catch((res: unknown) => throttled(res, 'steady (per minute)'));
    return {
      'RateLimit-Limit': String(limiters.steadyLimit),
      'RateLimit-Remaining': String(steady.remainingPoints),
      'RateLimit-Reset': String(Math.max(0, Math.ceil(steady.msBeforeNext / 1000))),
    };
  }
}

function throttled(res: unknown, window: string): never {
  if (!(res instanceof RateLimiterRes)) throw res;
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  throw new ApiProblem(
    429,
    [
      {
        detail: `Request was throttled: the ${window} rate limit was exceeded. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      },
    ],
    { 'Retry-After': String(seconds), 'RateLimit-Reset': String(seconds) },
  );
}
