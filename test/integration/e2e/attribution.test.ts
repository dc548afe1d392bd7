import { jobs } from '../../../jobs/index.js';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { IMPACT_CHECK_AFTER_DAYS, isWaiting } from '../../../src/domain/attribution.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { readAgentConfig } from '../../../src/patches/agent-config.js';
import { baselineFor } from '../../../src/patches/baseline.js';
import type { Patch } from '../../../src/patches/patch.js';
import { applyJobId, planImpactCheck } from '../../../src/queue/index.js';
import { createKlaviyoClient, type KlaviyoClient } from '../../../src/klaviyo/index.js';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { DAY_MS } from '../../../src/time.js';
import { makeProposal } from '../store/fixtures.js';
import { deleteMatching } from '../queue/redis-helpers.js';

const run = promisify(execFile);

/**
 * One change per target per attribution window, through the real doors: the decide service, the
 * apply and verify jobs in workers, the CLI, the sandbox as Klaviyo. Time is a clock the test
 * moves; the held apply is BullMQ's delayed job, promoted once the clock has passed its date.
 */
describe('attribution windows', () => {
  const PRODUCT_QA = 'custom:agent_103';
  const WARRANTY = 'custom:agent_104';
  const prefix = `e2e-attr-${randomUUID().slice(0, 8)}`;
  let clock = Date.now();
  let sandbox: RunningSandbox;
  let client: KlaviyoClient;
  let app: App;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off', indexingDelayMs: 0 });
    env = {
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      KLAVIYO_BASE_URL: sandbox.url,
      KLAVIYO_API_KEY: SANDBOX_KEYS.read,
      KLAVIYO_WRITE_API_KEY: SANDBOX_KEYS.write,
      APPROVERS: 'cli:ops',
    };
    app = await startApp(loadConfig(env), {
      logger: silentLogger,
      jobs,
      rateLimits: 'off',
      now: () => new Date(clock),
    });
    client = createKlaviyoClient({
      apiKey: SANDBOX_KEYS.write,
      baseUrl: sandbox.url,
      rateLimits: 'off',
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    const { Redis } = await import('ioredis');
    const redis = new Redis(inject('redisUrl'));
    await deleteMatching(redis, `${prefix}*`);
    redis.disconnect();
  });

  let drafted = 0;
  /** A pending proposal of `patch`, baselined against the sandbox's agent as it is now. */
  async function draft(patch: Patch): Promise<Proposal> {
    drafted += 1;
    const view = await readAgentConfig(client);
    const base = makeProposal();
    const proposal = makeProposal({
      id: `p_attr_${drafted}`,
      accountId: 'default',
      title: `change ${drafted}`,
      patch,
      baseline: baselineFor(patch, view),
      finding: { ...base.finding, accountId: 'default' },
    });
    return (await app.deps.stores.proposals.create(proposal)).proposal;
  }

  const skillChange = (
    skillId: string,
    changes: Extract<Patch, { kind: 'skill.update' }>['changes'],
  ): Patch => ({ kind: 'skill.update', skillId, changes });

  async function approve(id: string): Promise<void> {
    await app.decisions.approve({ proposalId: id, actor: 'cli:ops' });
  }

  /** The proposal once `done` says so (the workers run the jobs). */
  async function until(id: string, done: (p: Proposal) => boolean): Promise<Proposal> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const proposal = await app.deps.stores.proposals.get(id);
      if (proposal !== null && done(proposal)) return proposal;
      if (Date.now() > deadline) throw new Error(`${id} is ${proposal?.status}, still not done`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const replayed = (p: Proposal) => p.status === 'applied' && p.result.replay !== undefined;

  const skillNow = async (id: string) => (await client.skills.get(id)).attributes;

  async function cli(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'cli/index.ts', ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return stdout;
  }

  /** Runs a delayed job now, as BullMQ would once its time came. */
  async function promote(queue: 'apply' | 'verify', jobId: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    let job = await app.queues[queue].getJob(jobId);
    while (job === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await app.queues[queue].getJob(jobId);
    }
    expect(await job?.getState()).toBe('delayed');
    await job?.promote();
  }

  let first: Proposal;
  let held: Proposal;

  it('holds a second change to the same skill behind the first, with the date', async () => {
    first = await draft(skillChange(PRODUCT_QA, { description: 'Product specs, fit and care.' }));
    await approve(first.id);
    first = await until(first.id, replayed);

    const second = await draft(skillChange(PRODUCT_QA, { instructions: 'Answer warmly.' }));
    await approve(second.id);
    held = await until(second.id, isWaiting);
    const closes = new Date(Date.parse(first.result.appliedAt ?? '') + 7 * DAY_MS).toISOString();
    expect(IMPACT_CHECK_AFTER_DAYS).toBe(7);
    expect(held.attribution.waitingBehind).toEqual({ proposalId: first.id, until: closes });
    // The window closes when the first one's impact check runs.
    expect(planImpactCheck(first, { afterDays: IMPACT_CHECK_AFTER_DAYS }).runAt).toBe(closes);
    expect((await skillNow(PRODUCT_QA)).instructions).not.toBe('Answer warmly.');
    expect(await app.deps.stores.audit.list({ proposalId: second.id })).not.toContainEqual(
      expect.objectContaining({ type: 'applied' }),
    );

    const shown = JSON.parse(await cli('proposals', 'show', second.id, '--json')) as Proposal;
    expect(shown.status).toBe('approved');
    expect(shown.attribution.waitingBehind).toEqual({ proposalId: first.id, until: closes });
    const text = await cli('proposals', 'show', second.id);
    expect(text).toContain(`Waiting behind ${first.id} until ${closes}`);
  }, 60_000);

  it('does not hold a change to another skill', async () => {
    const other = await draft(skillChange(WARRANTY, { description: 'Warranty claims.' }));
    await approve(other.id);
    const applied = await until(other.id, replayed);
    expect(applied.attribution).toEqual({});
    expect((await skillNow(WARRANTY)).description).toBe('Warranty claims.');
  });

  it('applies the held change once the window has closed, by its delayed job', async () => {
    const jobId = applyJobId(held);
    const job = await app.queues.apply.getJob(jobId);
    expect(job?.opts.delay).toBe(Date.parse(held.attribution.waitingBehind?.until ?? '') - clock);

    clock += (IMPACT_CHECK_AFTER_DAYS + 1) * DAY_MS;
    await promote('apply', jobId);
    held = await until(held.id, replayed);
    expect((await skillNow(PRODUCT_QA)).instructions).toBe('Answer warmly.');
    expect(held.attribution.sharedWith).toBeUndefined();
    const audit = await app.deps.stores.audit.list({ proposalId: held.id });
    expect(audit.filter((e) => e.type === 'applied')).toHaveLength(1);
  });

  it('holds an auto-approved change too, which never applies anyway', async () => {
    const auto = await draft(skillChange(PRODUCT_QA, { handoff: 'offer' }));
    const decision = await app.decisions.autoApprove(auto, {
      enabled: true,
      kinds: ['skill.update'],
    });
    expect(decision.approved).toBe(true);
    const waiting = await until(auto.id, isWaiting);
    expect(waiting.attribution).toEqual({
      waitingBehind: {
        proposalId: held.id,
        until: new Date(Date.parse(held.result.appliedAt ?? '') + 7 * DAY_MS).toISOString(),
      },
    });
    expect((await skillNow(PRODUCT_QA)).handoff).toBe('none');
  });

  it('applies anyway when an approver says so, and both impact checks say the attribution is shared', async () => {
    const open = await draft(skillChange(WARRANTY, { instructions: 'Ask for a photo first.' }));
    await approve(open.id);
    const measured = await until(open.id, replayed);
    const next = await draft(skillChange(WARRANTY, { handoff: 'immediate' }));
    await approve(next.id);
    const waiting = await until(next.id, isWaiting);
    expect(waiting.attribution.waitingBehind?.proposalId).toBe(measured.id);

    await cli('proposals', 'approve', next.id, '--apply-anyway', '--as', 'cli:ops');
    const anyway = await until(next.id, replayed);
    expect((await skillNow(WARRANTY)).handoff).toBe('immediate');
    expect(anyway.attribution).toMatchObject({
      applyAnyway: { actor: 'cli:ops' },
      sharedWith: [measured.id],
    });
    const other = await until(open.id, (p) => p.attribution.sharedWith !== undefined);
    expect(other.attribution.sharedWith).toEqual([next.id]);

    clock += (IMPACT_CHECK_AFTER_DAYS + 1) * DAY_MS;
    for (const [proposal, partner] of [
      [other, next.id],
      [anyway, measured.id],
    ] as const) {
      await promote('verify', planImpactCheck(proposal, { afterDays: 7 }).jobId);
      const checked = await until(
        proposal.id,
        (p) => p.history.at(-1)?.note?.startsWith('impact') ?? false,
      );
      expect(checked.history.at(-1)?.note).toContain(`Attribution shared with ${partner}`);
    }
  }, 60_000);
});
