import { describe, expect, it } from 'vitest';
import { demoFills } from '../../cli/demo-fills.js';
import { canApprove } from '../../src/loop/policy/policy.js';
import { fillPlaceholders } from '../../src/domain/placeholders.js';
import type { Proposal } from '../../src/domain/proposal.js';
import {
  generateDemoScenario,
  SANDBOX_KEYS,
  type RunningSandbox,
  type SandboxOptions,
} from '../../src/sandbox/index.js';
import {
  agentConfigOf,
  approveAndQueueApply,
  configWrites,
  cycle,
  failedJobs,
  finalConversationIds,
  proposalsOf,
  sandboxAndLoopPerTest,
  settled,
  statusesOf,
  type LoopHarness,
  type LoopOptions,
} from './support/cycle.js';

/**
 * A whole cycle of the loop against a Klaviyo that misbehaves: 5xx bursts, slow answers and
 * dropped connections, a 429 storm, and permanent refusals. What must hold: limits respected as
 * far as the client can, every conversation pulled and diagnosed, no job lost, writes made once,
 * and each final failure reported with the API's own error detail.
 */

const NOW = new Date();
const DAYS = 31;
/** The demo store's flows (planted failures included) at a size a faulty cycle pulls quickly. */
const STORE = generateDemoScenario({ seed: 7, now: NOW, conversations: 60 });
const FINAL_IDS = finalConversationIds(STORE);
const CONVERSATION_GROUP = [
  'list_customer_agent_conversations_beta',
  'get_agent_messages_for_customer_agent_conversation_beta',
  'query_customer_agent_values_beta',
  'query_customer_agent_skill_values_beta',
];

const startOnStore = sandboxAndLoopPerTest();

function start(
  sandboxOptions: Pick<SandboxOptions, 'rateLimits' | 'faults'>,
  loopOptions: Omit<LoopOptions, 'sandboxUrl'> = {},
): Promise<{ sandbox: RunningSandbox; loop: LoopHarness }> {
  return startOnStore({ scenario: STORE, ...sandboxOptions }, loopOptions);
}

/** Every ended conversation of the store has a stored diagnosis. */
async function undiagnosed(h: LoopHarness): Promise<string[]> {
  const missing: string[] = [];
  for (const id of FINAL_IDS) {
    if ((await h.app.deps.stores.diagnoses.get(h.accountId, id)) === null) missing.push(id);
  }
  return missing;
}

/** The `errors[0].detail` the API answers to this request: the text failures must carry. */
async function apiDetail(url: string, method: string, key: string): Promise<string> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Klaviyo-API-Key ${key}`,
      revision: '2026-07-15.pre',
      'content-type': 'application/vnd.api+json',
    },
    ...(method === 'GET' ? {} : { body: '{}' }),
  });
  const body = (await response.json()) as { errors?: { detail?: string }[] };
  const detail = body.errors?.[0]?.detail;
  if (!detail) throw new Error(`${method} ${url} answered ${response.status} without a detail`);
  return detail;
}

/** Proposals whose placeholders the demo's approver can fill, with those fills. */
function approvable(
  proposals: Proposal[],
): { proposal: Proposal; fills: Record<string, string> }[] {
  return proposals
    .map((proposal) => ({ proposal, fills: demoFills(proposal) }))
    .filter(({ proposal, fills }) => canApprove(fillPlaceholders(proposal.patch, fills)).ok);
}

const successes = (s: RunningSandbox, operations: readonly string[]): number =>
  operations
    .flatMap((op) => Object.entries(statusesOf(s, op)))
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);

describe('a cycle against a faulty API', () => {
  it('rides out 5xx bursts, latency and dropped connections: nothing lost, each write made once', async () => {
    const { sandbox: api, loop: h } = await start(
      {
        rateLimits: { scale: 10 },
        faults: { errorRate: 0.15, latencyMs: [5, 40], dropRate: 0.04 },
      },
      { rateLimits: { scale: 10 } },
    );

    const summary = await cycle(h, DAYS, NOW);
    expect(summary.pull.fetched).toBe(FINAL_IDS.length);
    expect(summary.diagnosed).toBe(FINAL_IDS.length);
    expect(await undiagnosed(h)).toEqual([]);
    expect(summary.created.length).toBeGreaterThanOrEqual(3);

    const toApprove = approvable(await proposalsOf(h));
    expect(toApprove.length).toBeGreaterThanOrEqual(3);
    for (const { proposal, fills } of toApprove) await approveAndQueueApply(h, proposal, fills);
    const done = await settled(
      h,
      toApprove.map((a) => a.proposal.id),
    );
    for (const proposal of done) {
      expect(proposal.status, `${proposal.id}: ${proposal.result.error ?? ''}`).toBe('applied');
      expect(proposal.result.replay?.total).toBeGreaterThan(0);
    }

    // The faults did happen (503s and dropped connections, besides the latency).
    const stats = api.stats();
    expect(stats.faults.errors).toBeGreaterThan(0);
    expect(stats.faults.drops).toBeGreaterThan(0);
    // Faults strike before the API acts, so one landed write per proposal means no duplicate.
    expect(configWrites(api)).toBe(done.length);
    const audit = await h.app.deps.stores.audit.list({ accountId: h.accountId });
    expect(audit.filter((e) => e.type === 'applied')).toHaveLength(done.length);
    // No job gave up: every failure was retried to success, by the client or by BullMQ.
    expect(await failedJobs(h.app)).toEqual([]);
    // Paced to the limits, the client is not refused, bar a rare jitter the sandbox counts.
    expect(stats.rateLimited).toBeLessThanOrEqual(Math.ceil(stats.requests * 0.05));
  });

  it('backs off through a 429 storm (limits an eighth of what the client expects) and loses nothing', async () => {
    const { sandbox: api, loop: h } = await start(
      { rateLimits: { scale: 5 }, faults: { latencyMs: [5, 40] } },
      { rateLimits: { scale: 40 } },
    );

    const summary = await cycle(h, DAYS, NOW);
    expect(summary.diagnosed).toBe(FINAL_IDS.length);
    expect(await undiagnosed(h)).toEqual([]);
    expect(summary.created.length).toBeGreaterThan(0);
    expect(await failedJobs(h.app)).toEqual([]);

    const stats = api.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    // At its own pace the client would be refused 7 times in 8; honouring Retry-After across all
    // its callers, it is refused less often than it gets through.
    expect(stats.rateLimited).toBeLessThan(successes(api, CONVERSATION_GROUP));
  });
});

describe('permanent API errors', () => {
  it('a write refused (403, read-only key) fails the proposal once, with the API’s detail', async () => {
    const { sandbox: api, loop: h } = await start(
      { rateLimits: 'off' },
      { keys: { write: SANDBOX_KEYS.read } },
    );
    await cycle(h, DAYS, NOW);
    const target = (await proposalsOf(h)).find(
      (p) => p.patch.kind === 'skill.update' && p.placeholders.length === 0,
    );
    if (target?.patch.kind !== 'skill.update') throw new Error('the cycle drafted no skill edit');
    const skillId = target.patch.skillId;
    const before = await agentConfigOf(api);

    await approveAndQueueApply(h, target);
    const [result] = await settled(h, [target.id]);

    const detail = await apiDetail(
      `${api.url}/api/agent-skills/${skillId}`,
      'PATCH',
      SANDBOX_KEYS.read,
    );
    expect(result?.status).toBe('failed');
    expect(result?.result.error).toContain(detail);
    const audit = await h.app.deps.stores.audit.list({ proposalId: target.id });
    expect(audit.find((e) => e.type === 'failed')?.detail).toContain(detail);
    // Refused, not flaky: sent once (plus the probe above), never retried, nothing changed.
    expect(statusesOf(api, 'update_agent_skill_beta')).toEqual({ '403': 2 });
    expect(await agentConfigOf(api)).toEqual(before);
    expect(await failedJobs(h.app)).toEqual([]);
  });

  it('a pull with a revoked key fails once, unretried, with the API’s detail as the reason', async () => {
    const { sandbox: api, loop: h } = await start(
      { rateLimits: 'off' },
      { keys: { read: 'pk_revoked_0' } },
    );
    const detail = await apiDetail(
      `${api.url}/api/customer-agent-conversations`,
      'GET',
      'pk_revoked_0',
    );

    await expect(cycle(h, DAYS, NOW)).rejects.toThrow(detail);
    const failed = await failedJobs(h.app);
    expect(failed).toEqual([
      expect.objectContaining({ name: 'pull-conversations', attemptsMade: 1 }),
    ]);
    expect(failed[0]?.failedReason).toContain(detail);
    expect(statusesOf(api, 'list_customer_agent_conversations_beta')).toEqual({ '401': 2 });
  });
});
