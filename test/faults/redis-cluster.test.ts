import { jobs } from '../../jobs/index.js';
import { Redis, type Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyProposalJob } from '../../jobs/apply-proposal.job.js';
import { applyJobId } from '../../src/queue/contracts/apply-proposal.js';
import { startApp, type App } from '../../src/app.js';
import { runCycle } from '../../cli/cycle.js';
import { demoFills } from '../../cli/demo-fills.js';
import { waitUntilSettled } from '../../cli/settle.js';
import { loadConfig, type Config } from '../../src/config.js';
import { bucketKey, createKlaviyoClient } from '../../src/klaviyo/index.js';
import { silentLogger } from '../../src/logger.js';
import { approveProposal } from '../../src/loop/approve/transitions.js';
import { createEnqueue, defineJob } from '../../src/queue/define-job.js';
import { createQueues } from '../../src/queue/queues.js';
import { startWorkers } from '../../src/queue/worker.js';
import { assertRedisReady, checkRedis, createRedisCluster, masterNodes } from '../../src/redis.js';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { createStores, purgeAccount, type Stores } from '../../src/store/index.js';
import { makeDiagnosis, makeProposal } from '../integration/store/fixtures.js';
import {
  hasRedisServer,
  keysByMaster,
  startLocalCluster,
  until,
  type LocalCluster,
} from '../helpers/redis-cluster.js';

/**
 * REDIS_CLUSTER=true against a real 3-master Redis Cluster started for this file: the queues
 * through an ioredis Cluster, every store's scripts with accounts spread over the masters, the
 * start-up checks on each master, the shared rate limiter, and one whole cycle on the sandbox.
 */

// Their `{acct:<id>}` hash tags land on all three masters of a fresh 3-master cluster.
const ACCOUNTS = ['acct-1', 'acct-2', 'acct-3', 'acct-4', 'acct-5', 'acct-6'];
const AT = '2026-11-20T10:00:00.000Z';

describe('an unreachable cluster', () => {
  it('fails start-up naming the seeds it tried, never the password', async () => {
    const down = createRedisCluster('redis://u:s3cret@127.0.0.1:1,redis://u:s3cret@127.0.0.1:2', {
      name: 'down',
    });
    try {
      const error = await assertRedisReady(down, { timeoutMs: 500 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'redis_unavailable' });
      expect(String(error)).toContain('Redis at cluster 127.0.0.1:1,127.0.0.1:2 is not reachable');
      expect(String(error)).not.toContain('s3cret');
    } finally {
      down.disconnect();
    }
  });
});

describe.skipIf(!hasRedisServer())(
  'on a local 3-master Redis Cluster (skipped unless redis-server and redis-cli are on PATH)',
  () => {
    let cluster: LocalCluster;
    let config: Config;
    let redis: Cluster;

    beforeAll(async () => {
      cluster = await startLocalCluster(3);
      config = loadConfig({ REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', LOG_LEVEL: 'silent' });
      redis = createRedisCluster(config.redis.url, { name: 'test', forBullmq: true });
      await redis.ping();
    });

    afterAll(async () => {
      await redis?.quit();
      await cluster?.stop();
    });

    it('needs cluster mode: a plain connection to one node is refused keys of other slots', async () => {
      const plain = new Redis(cluster.ports[0] ?? 0, { maxRetriesPerRequest: 0 });
      const stores = createStores(plain, { prefix: 'plain' });
      const results = await Promise.allSettled(
        ACCOUNTS.map((id) => stores.checkpoints.advance(id, { lastCreatedAt: AT })),
      );
      plain.disconnect();
      expect(results.some((r) => r.status === 'rejected' && /MOVED/.test(String(r.reason)))).toBe(
        true,
      );
    });

    it('checks the version and noeviction on every master at start-up', async () => {
      const check = await assertRedisReady(redis);
      expect(check).toMatchObject({ ok: true, maxmemoryPolicy: 'noeviction', problems: [] });
      const [, second] = masterNodes(redis);
      if (!second) throw new Error('expected three masters');
      await second.config('SET', 'maxmemory-policy', 'allkeys-lru');
      try {
        const failing = await checkRedis(redis);
        expect(failing.ok).toBe(false);
        expect(failing.problems).toEqual([
          expect.stringContaining(`:${second.options.port} uses maxmemory-policy allkeys-lru`),
        ]);
        await expect(assertRedisReady(redis)).rejects.toMatchObject({ code: 'redis_unavailable' });
      } finally {
        await second.config('SET', 'maxmemory-policy', 'noeviction');
      }
    });

    it('runs queues and workers with the {prefix} hash tag, all keys of a prefix in one slot', async () => {
      const prefix = '{cluster-queues}';
      const seen: string[] = [];
      const record = defineJob({
        name: 'record',
        queue: 'pull',
        payload: z.object({ n: z.number() }),
        async handle(payload, ctx) {
          seen.push(ctx.job.id);
          await ctx.enqueue(echo, { n: payload.n });
          return payload.n;
        },
      });
      const echo = defineJob({
        name: 'echo',
        queue: 'notify',
        payload: z.object({ n: z.number() }),
        handle: async (payload) => payload.n * 10,
      });
      const queues = createQueues(redis, prefix);
      const running = startWorkers({
        jobs: [record, echo],
        connection: redis,
        prefix,
        deps: {} as never,
        logger: silentLogger,
        queues,
      });
      try {
        const enqueue = createEnqueue(queues);
        for (let n = 0; n < 6; n += 1) await enqueue(record, { n });
        await queues.pull.upsertJobScheduler(
          'hourly',
          { pattern: '0 * * * *' },
          { name: 'record' },
        );
        await until(async () => (await queues.notify.getCompletedCount()) === 6, 'six echo jobs');
        expect(seen).toHaveLength(6);
        expect(await queues.pull.getJobSchedulersCount()).toBe(1);
        const echoes = await queues.notify.getCompleted();
        expect(echoes.map((job) => job.returnvalue).sort((a, b) => a - b)).toEqual([
          0, 10, 20, 30, 40, 50,
        ]);
        const byMaster = await keysByMaster(redis, `${prefix}:*`);
        expect(byMaster.size).toBe(1);
        const slots = new Set(
          await Promise.all([...byMaster.values()][0]!.map((key) => redis.cluster('KEYSLOT', key))),
        );
        expect(slots.size).toBe(1);
      } finally {
        await running.close();
        await queues.closeAll();
      }
    });

    describe('stores, with accounts spread over the masters', () => {
      let stores: Stores;
      const prefix = '{cluster-stores}';
      beforeAll(() => {
        stores = createStores(redis, { prefix, now: () => new Date('2026-11-21T09:00:00.000Z') });
      });

      it('runs every per-account script and pipeline, and purges one account from its master', async () => {
        for (const id of ACCOUNTS) {
          expect(await stores.checkpoints.advance(id, { lastCreatedAt: AT })).toBe(true);
          expect(
            await stores.checkpoints.advance(id, { lastCreatedAt: '2026-11-01T00:00:00Z' }),
          ).toBe(false);
          const diagnosis = makeDiagnosis('c1');
          const input = {
            conversationId: 'c1',
            conversationCreatedAt: AT,
            conversationUpdatedAt: AT,
            diagnosis,
          };
          expect(await stores.diagnoses.put(id, input)).toBe('stored');
          expect(await stores.diagnoses.put(id, input)).toBe('exists');
          const window = { from: '2026-11-19T00:00:00Z', to: '2026-11-21T00:00:00Z' };
          expect(await stores.diagnoses.listWindow(id, window)).toHaveLength(1);
          await stores.llmSpend.add({
            accountId: id,
            runId: 'run-1',
            stage: 'diagnose',
            model: 'claude-haiku-4-5',
            tokens: { inputTokens: 100, outputTokens: 10, cacheWriteTokens: 0, cacheReadTokens: 0 },
            costUsd: 0.25,
            batch: false,
            at: new Date(AT),
          });
          // A month of daily keys read in one pipeline: they share the account's slot.
          expect(await stores.llmSpend.spentUsd(id, 'month', new Date(AT))).toBeCloseTo(0.25);
          expect((await stores.llmSpend.run(id, 'run-1')).total.calls).toBe(1);
        }
        const accountKeys = await keysByMaster(redis, 'cluster-stores:{acct:*');
        expect(accountKeys.size).toBe(3);

        const purged = await purgeAccount(redis, 'acct-4', { prefix });
        expect(purged.keys).toBeGreaterThan(0);
        expect(await stores.checkpoints.get('acct-4')).toBeNull();
        expect(await stores.checkpoints.get('acct-5')).not.toBeNull();
      });

      it('moves a proposal with its audit entry and keeps one target lease and one write intent per proposal', async () => {
        const proposal = makeProposal({ id: 'p_cluster', accountId: 'acct-2' });
        expect((await stores.proposals.create(proposal)).created).toBe(true);
        await stores.proposals.transition('p_cluster', {
          from: 'pending',
          to: 'approved',
          actor: 'cli:ops',
        });
        expect((await stores.proposals.list({ status: 'approved' })).map((p) => p.id)).toEqual([
          'p_cluster',
        ]);
        const audit = await stores.audit.list({ proposalId: 'p_cluster' });
        expect(audit.map((e) => [e.type, e.actor])).toEqual([['approved', 'cli:ops']]);

        const leases = await Promise.all(
          ['job-a', 'job-b'].map((owner) =>
            stores.writeIntents.acquire('acct-2:agent-skill:sk_1', { owner }),
          ),
        );
        expect(leases.map((l) => l.ok).sort()).toEqual([false, true]);
        const lease = leases.find((l) => l.ok)?.lease;
        if (lease === undefined) throw new Error('no lease');
        const claim = await stores.writeIntents.claim('p_cluster', lease);
        if (claim.outcome !== 'claimed') throw new Error(`not claimed: ${claim.outcome}`);
        expect(await stores.writeIntents.checkBeforeWrite(claim.intent, lease)).toBe(true);
        expect(await stores.writeIntents.markLanded(claim.intent, { resourceId: 'k_1' })).toBe(
          true,
        );
        expect((await stores.writeIntents.claim('p_cluster', lease)).outcome).toBe('landed');
      });
    });

    it('shares the rate limiter through the cluster: two clients of one account, one bucket', async () => {
      const sandbox = await startSandbox({ port: 0, rateLimits: { scale: 20 } });
      try {
        const clients = [1, 2].map(() =>
          createKlaviyoClient({
            apiKey: SANDBOX_KEYS.read,
            baseUrl: sandbox.url,
            redis,
            rateLimitKey: 'cluster-limiter',
            rateLimits: { scale: 20 },
            maxRetries: 0,
          }),
        );
        await Promise.all(
          clients.map(async (client) => {
            for (let i = 0; i < 8; i += 1) {
              for await (const _page of client.conversations.list().pages()) break;
            }
          }),
        );
        expect(sandbox.stats()).toMatchObject({ requests: 16, rateLimited: 0 });
        // Both clients' sends were confirmed in the one bucket (its key and log share a slot).
        const bucket = bucketKey('cluster-limiter', 'conversations');
        expect(await redis.llen(`${bucket}:log`)).toBe(16);
      } finally {
        await sandbox.close();
      }
    });

    describe('one whole cycle in process', () => {
      let sandbox: RunningSandbox;
      let app: App;

      beforeAll(async () => {
        sandbox = await startSandbox({ port: 0, rateLimits: { scale: 20 }, indexingDelayMs: 0 });
        const base = loadConfig({
          REDIS_URL: cluster.url,
          REDIS_CLUSTER: 'true',
          QUEUE_PREFIX: 'cluster-cycle',
          KLAVIYO_BASE_URL: sandbox.url,
          KLAVIYO_API_KEY: SANDBOX_KEYS.read,
          KLAVIYO_WRITE_API_KEY: SANDBOX_KEYS.write,
          APPROVERS: 'cli:ops',
        });
        app = await startApp(base, {
          logger: silentLogger,
          jobs,
          rateLimits: { scale: 20 },
        });
      });

      afterAll(async () => {
        await app?.close();
        await sandbox?.close();
      });

      it('pulls, diagnoses, proposes, approves and applies on the cluster', async () => {
        expect(app.config.redis.prefix).toBe('{cluster-cycle}');
        const cycle = await runCycle(app, {
          accountId: 'default',
          since: new Date(Date.now() - 31 * 24 * 3600_000),
          days: 31,
        });
        expect(cycle.pull.fetched).toBeGreaterThan(300);
        expect(cycle.diagnosed).toBe(cycle.pull.fetched);
        expect(cycle.proposals.length).toBeGreaterThan(0);

        const first = await app.deps.stores.proposals.get(cycle.proposals[0]!);
        if (!first) throw new Error('the first proposal vanished');
        const approved = await approveProposal(app.deps.stores, {
          proposalId: first.id,
          actor: 'cli:ops',
          accountConfig: app.deps.account('default'),
          fills: demoFills(first),
        });
        await createEnqueue(app.queues)(
          applyProposalJob,
          { accountId: 'default', proposalId: approved.id },
          { jobId: applyJobId(approved) },
        );
        const { proposals, settled } = await waitUntilSettled(app, [approved.id], 60_000);
        expect(settled).toBe(true);
        expect(proposals[0]?.status).toBe('applied');
        const audit = await app.deps.stores.audit.list({ proposalId: approved.id });
        expect(audit.map((e) => e.type)).toEqual(['approved', 'applied']);
      });
    });
  },
);
