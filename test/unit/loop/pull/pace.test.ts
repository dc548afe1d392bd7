import { describe, expect, it } from 'vitest';
import { describePull } from '../../../../cli/cycle.js';
import { describeWindowShare } from '../../../../src/domain/finding.js';
import { paceOf, whySlow } from '../../../../src/loop/pull/pace.js';
import type { PullProgress } from '../../../../src/loop/pull/pull-conversations.js';

const listing: PullProgress = {
  listed: 1200,
  pages: 12,
  listingDone: false,
  fetched: 0,
  fetchedEarlier: 0,
  toFetch: null,
  deferred: 0,
};

describe('paceOf', () => {
  it('counts pages and fetches as calls, and has no time left until the total is known', () => {
    const pace = paceOf(listing, 60_000, { limit: 60, others: 12, budget: 46 });
    expect(pace).toMatchObject({
      callsPerMinute: 12,
      secondsLeft: null,
      limitPerMinute: 60,
      othersPerMinute: 12,
    });
  });

  it('puts the time left at the rate achieved', () => {
    const fetching = { ...listing, listingDone: true, toFetch: 3000, fetched: 588 };
    // 600 calls in 10 minutes: 60 a minute, 2,412 fetches left → 40.2 minutes.
    const pace = paceOf(fetching, 600_000, undefined);
    expect(pace.callsPerMinute).toBe(60);
    expect(pace.secondsLeft).toBe(2412);
    expect(pace.limitPerMinute).toBeNull();
    expect(paceOf({ ...fetching, fetched: 3000 }, 600_000, undefined).secondsLeft).toBe(0);
  });

  it('takes the rate of a retried run from its own calls, not what an earlier attempt fetched', () => {
    const fresh = { ...listing, listingDone: true, toFetch: 3000, fetched: 588 };
    const retried = { ...fresh, fetched: 588 + 2000, fetchedEarlier: 2000 };
    const freshPace = paceOf(fresh, 600_000, undefined);
    const retriedPace = paceOf(retried, 600_000, undefined);
    expect(retriedPace.callsPerMinute).toBe(freshPace.callsPerMinute);
    // Fewer fetches left at the same rate.
    expect(retriedPace.secondsLeft).toBeLessThan(freshPace.secondsLeft ?? 0);
  });
});

describe('describing a pull', () => {
  it('says why it is slow, naming what others use', () => {
    expect(whySlow({ limitPerMinute: 60, othersPerMinute: 12 })).toBe(
      'Klaviyo allows 60 conversations a minute; other integrations are using 12',
    );
    expect(whySlow({ limitPerMinute: 60, othersPerMinute: 0 })).toBe(
      'Klaviyo allows 60 conversations a minute; no other integration is using any',
    );
    expect(whySlow({ limitPerMinute: null })).toBeNull();
  });

  it('shows the pages so far while listing, then a bar with the total, rate and time left', () => {
    const pace = paceOf(listing, 60_000, { limit: 60, others: 12, budget: 46 });
    expect(describePull(pace)).toBe(
      'listing… 12 pages, 1,200 conversations so far · 12 calls/min · ' +
        'Klaviyo allows 60 conversations a minute; other integrations are using 12',
    );
    const fetching = paceOf(
      { ...listing, listingDone: true, toFetch: 3000, fetched: 1500, deferred: 17_000 },
      1_512_000,
      { limit: 60, others: 0, budget: 60 },
    );
    expect(describePull(fetching)).toBe(
      '[##########----------] 1,500 of 3,000 fetched, 1,200 listed; 17,000 left for the next runs' +
        ' · 60 calls/min · 25 min left · Klaviyo allows 60 conversations a minute; no other integration is using any',
    );
  });

  it('still reads the progress of a worker that reports only counts', () => {
    expect(describePull({ listed: 100, fetched: 52 })).toBe('100 listed, 52 fetched…');
  });
});

describe('describeWindowShare', () => {
  const metrics = {
    shareOfWindow: 0.15,
    windowConversations: 3000,
    resolutionRate: null,
    skillVolume: null,
  };
  it('says the share of the window', () => {
    expect(describeWindowShare(metrics)).toBe('15.0% of 3,000 in the window');
  });
  it('says when the window was only partly fetched, and that the share is high', () => {
    expect(describeWindowShare({ ...metrics, pendingConversations: 17_000 })).toBe(
      '15.0% of the 3,000 fetched so far; 17,000 more in the window not fetched yet (failures first, so this share is high)',
    );
  });
});
