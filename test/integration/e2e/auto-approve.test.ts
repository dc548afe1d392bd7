import { jobs } from '../../../jobs/index.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type App } from '../../../src/app.js';
import { runCycle } from '../../../cli/cycle.js';
import { DEFAULT_ALLOWED_KINDS, loadConfig, type AccountConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { isWaiting } from '../../../src/domain/attribution.js';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';

/**
 * An account's explicit auto-approve policy, through the scheduled path: the synthesize job
 * approves (as `policy:auto-approve`) and applies the kinds it covers, and leaves the rest —
 * and anything with a placeholder — pending for a person.
 */
describe('auto-approve policy', () => {
  let sandbox: RunningSandbox;
  let app: App;
  const prefix = `e2e-auto-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off', indexingDelayMs: 0 });
    const base = loadConfig({ REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix });
    const account: AccountConfig = {
      id: 'store',
      name: 'store',
      baseUrl: sandbox.url,
      readKey: SANDBOX_KEYS.read,
      writeKey: SANDBOX_KEYS.write,
      schedules: base.accounts[0]!.schedules,
      approvers: ['cli:ops'],
      allowedKinds: DEFAULT_ALLOWED_KINDS,
      autoApprove: { enabled: true, kinds: ['skill.update', 'knowledge.create'] },
      slackChannel: undefined,
      llmBudgetUsd: 0,
    };
    app = await startApp(
      { ...base, accounts: [account] },
      { logger: silentLogger, jobs, rateLimits: 'off' },
    );
  });

  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    const { Redis } = await import('ioredis');
    const redis = new Redis(inject('redisUrl'));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('applies only the covered kinds without placeholders, and records the policy as approver', async () => {
    const cycle = await runCycle(app, {
      accountId: 'store',
      since: new Date(Date.now() - 31 * 24 * 3600_000),
      days: 31,
    });
    expect(cycle.proposals.length).toBeGreaterThan(0);

    const settled = await waitUntil(async () => {
      const all = await app.deps.stores.proposals.list({ accountId: 'store' });
      const busy = all.some(
        (p) =>
          (p.status === 'approved' && !isWaiting(p)) ||
          p.status === 'applying' ||
          (p.status === 'applied' && !p.result.replay),
      );
      return busy ? null : all;
    });

    const byKind = (kind: Proposal['patch']['kind']) =>
      settled.filter((p) => p.patch.kind === kind);
    const skillUpdates = byKind('skill.update');
    const applied = skillUpdates.filter((p) => p.status === 'applied');
    expect(applied.length).toBeGreaterThan(0);
    for (const p of skillUpdates) {
      expect(p.history.find((h) => h.status === 'approved')?.actor).toBe('policy:auto-approve');
      if (p.status === 'applied') continue;
      // The policy respects attribution windows: a second change to a skill waits behind the
      // applied one, and is never applied anyway.
      expect(isWaiting(p)).toBe(true);
      const behind = applied.find((a) => a.id === p.attribution.waitingBehind?.proposalId);
      expect(behind?.baseline.target).toEqual(p.baseline.target);
    }
    // Covered kind, but it has placeholders: a person must fill them first.
    for (const p of byKind('knowledge.create')) {
      expect(p.placeholders.length).toBeGreaterThan(0);
      expect(p.status).toBe('pending');
    }
    // Not covered by the policy.
    for (const p of byKind('agent.escalation-rule.add')) expect(p.status).toBe('pending');
    const audit = await app.deps.stores.audit.list({ accountId: 'store' });
    expect(audit.filter((e) => e.type === 'applied')).toHaveLength(applied.length);
  }, 60_000);
});

async function waitUntil<T>(probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the applies');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
