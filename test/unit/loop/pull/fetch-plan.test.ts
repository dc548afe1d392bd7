import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../../src/klaviyo/index.js';
import { FetchPlan, fetchTier, RESOLVED_SAMPLE } from '../../../../src/loop/pull/fetch-plan.js';

function conversation(id: string, status: string, day: number): Conversation {
  const createdAt = new Date(Date.UTC(2026, 10, day)).toISOString();
  return {
    type: 'customer-agent-conversation',
    id,
    attributes: { status, created_at: createdAt, updated_at: createdAt },
  } as unknown as Conversation;
}

describe('fetchTier', () => {
  it('puts routed and closed conversations first and samples AI resolutions stably', () => {
    expect(fetchTier(conversation('a', 'routed-to-team', 1))).toBe(0);
    expect(fetchTier(conversation('b', 'closed', 1))).toBe(0);
    const resolved = Array.from({ length: 2000 }, (_, i) =>
      fetchTier(conversation(`c${i}`, 'resolved-by-ai', 1)),
    );
    const sampled = resolved.filter((t) => t === 1).length / resolved.length;
    expect(sampled).toBeGreaterThan(RESOLVED_SAMPLE * 0.7);
    expect(sampled).toBeLessThan(RESOLVED_SAMPLE * 1.3);
    expect(fetchTier(conversation('c7', 'resolved-by-ai', 1))).toBe(resolved[7]);
  });
});

describe('FetchPlan', () => {
  it('keeps the budget, failures first in listing order, and remembers the oldest left over', () => {
    const plan = new FetchPlan(3);
    // Listed newest first, as the API does.
    const listed = [
      conversation('r1', 'resolved-by-ai', 20),
      conversation('f1', 'routed-to-team', 19),
      conversation('r2', 'resolved-by-ai', 18),
      conversation('f2', 'closed', 17),
      conversation('r3', 'resolved-by-ai', 16),
      conversation('f3', 'routed-to-team', 15),
      conversation('r4', 'resolved-by-ai', 14),
    ];
    for (const c of listed) plan.add(c);
    const { selected, deferred, oldestDeferred } = plan.take();
    expect(selected.map((c) => c.id)).toEqual(['f1', 'f2', 'f3']);
    expect(deferred).toBe(4);
    expect(oldestDeferred).toBe(listed[6]?.attributes.created_at);
  });

  it('holds everything when the window fits', () => {
    const plan = new FetchPlan(Infinity);
    for (let i = 0; i < 50; i += 1) plan.add(conversation(`r${i}`, 'resolved-by-ai', 1));
    expect(plan.take()).toMatchObject({ deferred: 0, oldestDeferred: null });
    expect(plan.take().selected).toHaveLength(50);
  });
});
