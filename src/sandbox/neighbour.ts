import { SANDBOX_KEYS } from './auth.js';
import { REVISION } from './operations.js';

/**
 * Another integration of the sandbox's account (a help desk syncing conversations, say): it lists
 * conversations at a steady rate with the account's other key, so it shares the rate limits with
 * agent-trainer as a real one does. Well-behaved, it waits `Retry-After` after a 429; otherwise it
 * tries again after `ignoreDelayMs`. For benchmarks and tests of sharing the quota.
 */
export interface NeighbourOptions {
  baseUrl: string;
  /** Calls per second it wants to make. */
  ratePerSecond: number;
  /** @defaultValue true */
  honoursRetryAfter?: boolean;
  /** Wait after a 429 when not honouring `Retry-After`. @defaultValue 50 */
  ignoreDelayMs?: number;
}

export interface NeighbourCounts {
  /** Non-429 answers. */
  answered: number;
  rateLimited: number;
  /** Calls that failed otherwise (network, 5xx). */
  failed: number;
}

export interface RunningNeighbour {
  /** Counts so far (a copy). */
  counts(): NeighbourCounts;
  /** Stops after the call in flight. */
  stop(): Promise<NeighbourCounts>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startNeighbour(options: NeighbourOptions): RunningNeighbour {
  const counts: NeighbourCounts = { answered: 0, rateLimited: 0, failed: 0 };
  const intervalMs = 1000 / options.ratePerSecond;
  const url = `${options.baseUrl}/api/customer-agent-conversations?page[size]=1`;
  let running = true;
  const loop = (async () => {
    let next = performance.now();
    while (running) {
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      if (!running) break;
      let retryAfterMs = 0;
      try {
        const response = await fetch(url, {
          headers: {
            authorization: `Klaviyo-API-Key ${SANDBOX_KEYS.write}`,
            revision: REVISION,
            accept: 'application/vnd.api+json',
          },
        });
        await response.arrayBuffer();
        if (response.status === 429) {
          counts.rateLimited += 1;
          retryAfterMs =
            options.honoursRetryAfter === false
              ? (options.ignoreDelayMs ?? 50)
              : Number(response.headers.get('retry-after') ?? '1') * 1000;
        } else if (response.ok) {
          counts.answered += 1;
        } else {
          counts.failed += 1;
        }
      } catch {
        counts.failed += 1;
      }
      // Its own schedule, not a catch-up burst: after a back-off it resumes at its rate.
      next = Math.max(next + intervalMs, performance.now() + retryAfterMs);
    }
  })();
  return {
    counts: () => ({ ...counts }),
    async stop() {
      running = false;
      await loop;
      return { ...counts };
    },
  };
}
