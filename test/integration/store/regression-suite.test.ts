import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  regressionCaseId,
  RegressionSuiteStore,
  type NewRegressionCase,
} from '../../../src/store/regression-suite.js';
import { purgeAccount } from '../../../src/store/purge.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';

function newCase(
  conversationId: string,
  addedAt: string,
  fromProposalId = 'p_1',
): NewRegressionCase {
  return {
    conversationId,
    fromProposalId,
    addedAt,
    category: 'knowledge_gap',
    topic: 'international returns',
    passing: 'Questions about "international returns" are answered.',
    skillId: null,
    skillName: null,
    channel: 'chat',
    shopperTurns: ['Can I return from Canada?'],
    lastResult: null,
  };
}

describe('RegressionSuiteStore', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('suite');
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('adds a conversation fixed by a proposal once, per account', async () => {
    const suite = new RegressionSuiteStore(redis, { prefix });
    expect(await suite.add('a1', newCase('c1', '2026-11-20T10:00:00.000Z'))).toBe('added');
    expect(await suite.add('a1', newCase('c1', '2026-11-21T10:00:00.000Z'))).toBe('exists');
    expect(await suite.add('a1', newCase('c1', '2026-11-21T10:00:00.000Z', 'p_2'))).toBe('added');
    expect(await suite.add('a2', newCase('c1', '2026-11-20T10:00:00.000Z'))).toBe('added');
    const cases = await suite.list('a1');
    expect(cases.map((c) => [c.conversationId, c.fromProposalId])).toEqual([
      ['c1', 'p_1'],
      ['c1', 'p_2'],
    ]);
    expect(cases[0]?.id).toBe(regressionCaseId('a1', 'c1', 'p_1'));
    expect(cases[0]?.addedAt).toBe('2026-11-20T10:00:00.000Z');
  });

  it('keeps at most maxCases per account, dropping the oldest', async () => {
    const suite = new RegressionSuiteStore(redis, { prefix, maxCases: 2 });
    await suite.add('a1', newCase('c2', '2026-11-02T00:00:00.000Z'));
    await suite.add('a1', newCase('c1', '2026-11-01T00:00:00.000Z'));
    await suite.add('a1', newCase('c3', '2026-11-03T00:00:00.000Z'));
    expect((await suite.list('a1')).map((c) => c.conversationId)).toEqual(['c2', 'c3']);
    expect(await suite.get('a1', regressionCaseId('a1', 'c1', 'p_1'))).toBeNull();
  });

  it('records results, removes cases, and never brings a removed case back', async () => {
    const suite = new RegressionSuiteStore(redis, { prefix });
    await suite.add('a1', newCase('c1', '2026-11-01T00:00:00.000Z'));
    const id = regressionCaseId('a1', 'c1', 'p_1');
    const result = { passed: false, at: '2026-11-05T00:00:00.000Z', reason: 'lacks the facts' };
    expect(await suite.recordResult('a1', id, result)).toBe(true);
    expect((await suite.get('a1', id))?.lastResult).toEqual(result);
    expect(await suite.remove('a1', id)).toBe(true);
    expect(await suite.remove('a1', id)).toBe(false);
    expect(await suite.recordResult('a1', id, result)).toBe(false);
    expect(await suite.list('a1')).toEqual([]);
  });

  it('is forgotten with its account', async () => {
    const suite = new RegressionSuiteStore(redis, { prefix });
    await suite.add('a1', newCase('c1', '2026-11-01T00:00:00.000Z'));
    await purgeAccount(redis, 'a1', { prefix });
    expect(await suite.list('a1')).toEqual([]);
  });
});
