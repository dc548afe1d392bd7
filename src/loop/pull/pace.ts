import type { QuotaView } from '../../klaviyo/index.js';
import { MINUTE_MS } from '../../time.js';
import type { PullProgress } from './pull-conversations.js';

/**
 * How a pull is going and why it takes the time it takes: what the pull job reports as its
 * progress (the dashboard shows it), `run` draws as a bar and prints in its `--json` events.
 */
export interface PullPace extends PullProgress {
  /** Calls made per minute so far (listing pages and message fetches). */
  callsPerMinute: number;
  /** Until the last fetch at that rate; null until the listing knows the total. */
  secondsLeft: number | null;
  /** Klaviyo's limit per minute for conversations, and what other integrations use of it. */
  limitPerMinute: number | null;
  othersPerMinute: number | null;
}

export function paceOf(
  progress: PullProgress,
  elapsedMs: number,
  quota: QuotaView | undefined,
): PullPace {
  // This attempt's calls over this attempt's time: an earlier attempt's fetches took none of it.
  const calls = progress.pages + progress.fetched - progress.fetchedEarlier;
  const callsPerMinute = elapsedMs > 0 ? (calls * MINUTE_MS) / elapsedMs : 0;
  const left = progress.toFetch === null ? null : progress.toFetch - progress.fetched;
  return {
    ...progress,
    callsPerMinute: Math.round(callsPerMinute * 10) / 10,
    secondsLeft:
      left === null
        ? null
        : left === 0
          ? 0
          : callsPerMinute > 0
            ? Math.ceil((left / callsPerMinute) * 60)
            : null,
    limitPerMinute: quota?.limit ?? null,
    othersPerMinute: quota?.others ?? null,
  };
}

/** Why a pull takes this long, for people: the limit, and how much others take of it. */
export function whySlow(pace: {
  limitPerMinute?: number | null | undefined;
  othersPerMinute?: number | null | undefined;
}): string | null {
  if (typeof pace.limitPerMinute !== 'number') return null;
  const others = pace.othersPerMinute ?? 0;
  return (
    `Klaviyo allows ${pace.limitPerMinute} conversations a minute; ` +
    (others > 0 ? `other integrations are using ${others}` : 'no other integration is using any')
  );
}
