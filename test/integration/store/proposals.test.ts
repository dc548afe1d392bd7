import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/store/audit.js';
import {
  ProposalChangedError,
  ProposalNotFoundError,
  ProposalStateError,
  ProposalStore,
  proposalIdFrom,
} from '../../../src/store/proposals.js';
import { deleteKeys, testRedis, uniquePrefix } from '../queue/redis-helpers.js';
import { makeProposal } from './fixtures.js';

describe('ProposalStore', () => {
  let redis: Redis;
  let prefix: string;
  let store: ProposalStore;
  let audit: AuditLog;
  let clock: number;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('proposals');
    clock = Date.parse('2026-11-21T09:00:00.000Z');
    const now = () => new Date((clock += 1000));
    store = new ProposalStore(redis, { prefix, now });
    audit = new AuditLog(redis, { prefix });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('creates a proposal once; creating it again returns the stored one', async () => {
    const first = await store.create(makeProposal());
    const again = await store.create(makeProposal({ title: 'A different title' }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ proposal: first.proposal, created: false });
    expect(await store.get('p_1')).toEqual(first.proposal);
    expect(await store.get('p_missing')).toBeNull();
  });

  it('walks the happy path with history, index sets and audit entries', async () => {
    await store.create(makeProposal());
    await store.transition('p_1', { from: 'pending', to: 'approved', actor: 'slack:U1' });
    await store.transition('p_1', { from: 'approved', to: 'applying', actor: 'system' });
    const applied = await store.transition('p_1', {
      from: 'applying',
      to: 'applied',
      actor: 'system',
      result: { appliedAt: '2026-11-21T09:00:05.000Z', resourceId: 'k_9' },
      audit: { before: null, after: { title: 'International returns' } },
    });
    expect(applied.status).toBe('applied');
    expect(applied.result).toEqual({ appliedAt: '2026-11-21T09:00:05.000Z', resourceId: 'k_9' });
    expect(applied.history.map((e) => [e.status, e.actor])).toEqual([
      ['pending', 'system'],
      ['approved', 'slack:U1'],
      ['applying', 'system'],
      ['applied', 'system'],
    ]);
    expect(await store.list({ status: 'applied' })).toEqual([applied]);
    expect(await store.list({ status: ['pending', 'approved', 'applying'] })).toEqual([]);
    const entries = await audit.list({ proposalId: 'p_1' });
    expect(entries.map((e) => [e.type, e.actor])).toEqual([
      ['approved', 'slack:U1'],
      ['applied', 'system'],
    ]);
    expect(entries[1]).toMatchObject({
      accountId: 'acct_1',
      after: { title: 'International returns' },
    });
  });

  it('refuses transitions that PROPOSAL_TRANSITIONS does not allow', async () => {
    await store.create(makeProposal());
    await expect(
      store.transition('p_1', { from: 'pending', to: 'applied', actor: 'system' }),
    ).rejects.toThrow(/Proposal p_1 is pending; it cannot move to applied/);
    await store.transition('p_1', {
      from: 'pending',
      to: 'rejected',
      actor: 'web:alice',
      note: 'no',
    });
    await expect(
      store.transition('p_1', { from: ['rejected'], to: 'approved', actor: 'web:bob' }),
    ).rejects.toBeInstanceOf(ProposalStateError);
    expect((await store.get('p_1'))?.status).toBe('rejected');
  });

  it('keeps every "attribution shared with" added by concurrent transitions', async () => {
    await store.create(
      makeProposal({ status: 'applied', result: { appliedAt: '2026-11-21T10:00:00.000Z' } }),
    );
    await Promise.all(
      ['p_2', 'p_3', 'p_4', 'p_2'].map((other) =>
        store.transition('p_1', {
          from: 'applied',
          to: 'applied',
          actor: 'system',
          attribution: { sharedWith: [other] },
          audit: false,
        }),
      ),
    );
    const shared = (await store.get('p_1'))?.attribution.sharedWith;
    expect([...(shared ?? [])].sort()).toEqual(['p_2', 'p_3', 'p_4']);
  });

  it('lets exactly one of 10 concurrent approvals win and tells the others who did', async () => {
    await store.create(makeProposal());
    const attempts = Array.from({ length: 10 }, (_, i) =>
      store.transition('p_1', { from: 'pending', to: 'approved', actor: `web:user${i}` }),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    const stored = await store.get('p_1');
    const winner = stored?.history.at(-1)?.actor;
    for (const error of lost) {
      expect(error).toBeInstanceOf(ProposalStateError);
      expect((error as Error).message).toContain(`was already approved by ${winner}`);
      expect((error as ProposalStateError).details).toMatchObject({
        current: 'approved',
        by: winner,
      });
    }
    expect(stored?.history.filter((e) => e.status === 'approved')).toHaveLength(1);
    expect(await audit.list({ proposalId: 'p_1' })).toHaveLength(1);
  });

  it('edits a pending patch and audits the before and after', async () => {
    await store.create(makeProposal());
    const patch = {
      kind: 'knowledge.create' as const,
      snippet: { title: 'International returns', content: 'Returns from abroad take 60 days.' },
    };
    const edited = await store.transition('p_1', {
      from: 'pending',
      to: 'pending',
      actor: 'web:alice',
      patch,
      diff: '+ 60 days',
    });
    expect(edited).toMatchObject({ status: 'pending', patch, diff: '+ 60 days' });
    const [entry] = await audit.list({ proposalId: 'p_1' });
    expect(entry).toMatchObject({ type: 'edited', before: makeProposal().patch, after: patch });
    await store.transition('p_1', { from: 'pending', to: 'approved', actor: 'web:alice' });
    await expect(
      store.transition('p_1', { from: 'approved', to: 'pending', actor: 'web:alice', patch }),
    ).rejects.toThrow(ProposalStateError);
  });

  it('never approves an edit nobody saw: an edit and an approval of revision 1 racing, one wins', async () => {
    const edit = {
      kind: 'knowledge.create' as const,
      snippet: { title: 'International returns', content: 'Returns from abroad take 90 days.' },
    };
    for (let round = 0; round < 20; round += 1) {
      const id = `p_race_${round}`;
      await store.create(makeProposal({ id }));
      const approve = () =>
        store.transition(id, { from: 'pending', to: 'approved', actor: 'web:carol', revision: 1 });
      const editIt = () =>
        store.transition(id, {
          from: 'pending',
          to: 'pending',
          actor: 'web:alice',
          revision: 1,
          patch: edit,
        });
      // Either may be sent first; both read revision 1 before either writes.
      const [approved, edited] =
        round % 2 === 0
          ? await Promise.allSettled([approve(), editIt()])
          : await Promise.allSettled([editIt(), approve()]).then(([e, a]) => [a, e] as const);
      const stored = await store.get(id);
      if (approved?.status === 'fulfilled') {
        // The approval won: it approved revision 1's patch, and the edit was refused.
        expect(stored).toMatchObject({ status: 'approved', revision: 1 });
        expect(stored?.patch).toEqual(makeProposal().patch);
        expect(edited?.status).toBe('rejected');
      } else {
        // The edit won: the approval of revision 1 was refused as out of date.
        expect(approved?.reason).toBeInstanceOf(ProposalChangedError);
        expect(stored).toMatchObject({ status: 'pending', revision: 2, patch: edit });
      }
    }
  });

  it('lists by account and status, newest first', async () => {
    await store.create(makeProposal({ id: 'p_old', createdAt: '2026-11-01T00:00:00.000Z' }));
    await store.create(makeProposal({ id: 'p_new', createdAt: '2026-11-02T00:00:00.000Z' }));
    await store.create(makeProposal({ id: 'p_other', accountId: 'acct_2' }));
    await store.transition('p_old', { from: 'pending', to: 'rejected', actor: 'cli:ops' });
    expect((await store.list()).map((p) => p.id)).toEqual(['p_other', 'p_new', 'p_old']);
    expect((await store.list({ accountId: 'acct_1' })).map((p) => p.id)).toEqual([
      'p_new',
      'p_old',
    ]);
    expect((await store.list({ accountId: 'acct_1', status: 'pending' })).map((p) => p.id)).toEqual(
      ['p_new'],
    );
    expect((await store.list({ status: 'pending', limit: 1 })).map((p) => p.id)).toEqual([
      'p_other',
    ]);
  });

  it('reports a missing proposal clearly', async () => {
    await expect(
      store.transition('p_nope', { from: 'pending', to: 'approved', actor: 'web:alice' }),
    ).rejects.toBeInstanceOf(ProposalNotFoundError);
  });
});

describe('proposalIdFrom', () => {
  it('depends on account, patch and baseline values, not on key order or read time', () => {
    const { patch, baseline } = makeProposal();
    const id = proposalIdFrom('acct_1', patch, baseline);
    expect(id).toMatch(/^p_[0-9a-f]{20}$/);
    const readLater = { ...baseline, readAt: '2026-12-01T00:00:00.000Z' };
    const reordered = {
      snippet: { content: 'Returns from abroad take 30 days.', title: 'International returns' },
      kind: 'knowledge.create' as const,
    };
    expect(proposalIdFrom('acct_1', reordered, readLater)).toBe(id);
    expect(
      proposalIdFrom(
        'acct_1',
        { ...reordered, snippet: { ...reordered.snippet, content: 'x' } },
        baseline,
      ),
    ).not.toBe(id);
    expect(proposalIdFrom('acct_2', patch, baseline)).not.toBe(id);
  });
});
