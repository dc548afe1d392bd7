import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { pullConversationsJob } from '../../jobs/pull-conversations.job.js';
import { synthesizeJob } from '../../jobs/synthesize.job.js';
import { createEnqueue, createQueues, QUEUE_NAMES, type Queues } from '../../src/queue/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { createStores } from '../../src/store/index.js';
import { logMessage, startCli, type CliProcess } from './support/process.js';
import { startPrivateRedis, type PrivateRedis } from './support/redis-server.js';
import { completedJob, sleep, waitUntil } from './support/wait.js';
import {
  conversationIds,
  diagnosisRecordCounts,
  smallDemoScenario,
  workerAccount,
  type WorkerAccount,
} from './worker-crash-support.js';

/**
 * Redis restarted in the middle of a cycle, as `docker compose restart redis` does (SIGTERM, then
 * the same append-only file): the worker process stays up, reconnects, and finishes the cycle
 * from where it was — every conversation of the window pulled and diagnosed once, the checkpoint
 * at the newest conversation, no proposal twice.
 */

const RATE_LIMIT_SCALE = 4;
const DAY_MS = 24 * 3600_000;
/** How long Redis stays down once the worker has noticed (its reconnects keep failing). */
const OUTAGE_MS = 3000;

const now = new Date();
const scenario = smallDemoScenario(now);
const ids = conversationIds(scenario);
const newestCreatedAt = scenario.conversations
  .map((c) => c.created_at)
  .sort()
  .at(-1);

let server: PrivateRedis | undefined;
let redis: Redis | undefined;
let queues: Queues | undefined;
let sandbox: RunningSandbox | undefined;
let account: WorkerAccount | undefined;
let worker: CliProcess | undefined;

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await queues?.closeAll();
  redis?.disconnect();
  await sandbox?.close();
  await account?.cleanup();
  await server?.close();
});

describe('Redis restarted mid-cycle', () => {
  it('the worker stays up, reconnects and finishes the cycle: no gap, no duplicate diagnoses or proposals', async () => {
    server = await startPrivateRedis();
    const prefix = `fault-redis-${randomUUID().slice(0, 8)}`;
    const connection = new Redis(server.url, { maxRetriesPerRequest: null });
    redis = connection;
    // This test's own connections see the outage too; they wait and reconnect, quietly.
    connection.on('error', () => undefined);
    const jobQueues = createQueues(connection, prefix);
    queues = jobQueues;
    for (const name of QUEUE_NAMES) jobQueues[name].on('error', () => undefined);
    const stores = createStores(connection, { prefix });
    sandbox = await startSandbox({
      port: 0,
      scenario,
      rateLimits: { scale: RATE_LIMIT_SCALE },
      indexingDelayMs: 0,
    });
    const tenant = await workerAccount({
      redisUrl: server.url,
      prefix,
      baseUrl: sandbox.url,
      rateLimitScale: RATE_LIMIT_SCALE,
      approver: 'cli:fault-test',
    });
    account = tenant;
    const running = startCli(['worker', '--no-server'], { env: tenant.env, name: 'worker' });
    worker = running;
    await running.waitForLine((l) => logMessage(l) === 'worker started', 'worker started');

    const enqueue = createEnqueue(jobQueues);
    const pull = await enqueue(pullConversationsJob, {
      accountId: tenant.id,
      runId: 'redis-restart',
      since: new Date(now.getTime() - 31 * DAY_MS).toISOString(),
    });
    await waitUntil(async () => (await stores.snapshots.knownUpdatedAt(tenant.id, ids)).size >= 3, {
      what: 'the pull to store 3 snapshots',
      timeoutMs: 60_000,
      context: () => running.tail(),
    });

    await server.stop('sigterm');
    const lost = await running.waitForLine(
      (l) => logMessage(l) === 'redis connection error',
      'the worker to notice Redis is gone',
    );
    await sleep(OUTAGE_MS);
    await server.start();
    await running.waitForLine(
      (l) =>
        logMessage(l) === 'redis connection restored' &&
        running.lines.indexOf(l) > running.lines.indexOf(lost),
      'the worker to reconnect',
    );
    // The kill must land mid-pull for this test to mean anything.
    const storedAfterOutage = await stores.snapshots.knownUpdatedAt(tenant.id, ids);
    expect(storedAfterOutage.size).toBeLessThan(ids.length);

    const pulled = await completedJob(jobQueues, 'pull', pull.id, () => running.tail());
    const diagnoseJobs = (pulled.returnvalue as { diagnoseJobs: string[] }).diagnoseJobs;
    for (const id of diagnoseJobs)
      await completedJob(jobQueues, 'diagnose', id, () => running.tail());
    const synthesize = await enqueue(synthesizeJob, {
      accountId: tenant.id,
      runId: 'redis-restart',
      days: 31,
    });
    await completedJob(jobQueues, 'synthesize', synthesize.id, () => running.tail());

    expect(running.exit(), running.tail()).toBeUndefined();
    // An expected outage: logged once as a warning and once as restored; no error-level lines,
    // no raw stack traces outside the structured log.
    const unstructured = running.lines.filter((l) => l.json === undefined).map((l) => l.text);
    expect(unstructured.slice(0, 5)).toEqual([]);
    const errors = running.lines.filter((l) => Number(l.json?.['level']) >= 50);
    expect(errors.map((l) => l.text.slice(0, 300)).slice(0, 5)).toEqual([]);
    expect((await stores.snapshots.knownUpdatedAt(tenant.id, ids)).size).toBe(ids.length);
    const checkpoint = await stores.checkpoints.get(tenant.id, 'conversations');
    expect(Date.parse(checkpoint?.lastCreatedAt ?? '')).toBe(Date.parse(newestCreatedAt ?? ''));
    const counts = await diagnosisRecordCounts(connection, prefix, tenant.id);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    for (const [id, n] of counts) expect(n, id).toBe(1);
    const proposals = await stores.proposals.list({ accountId: tenant.id });
    expect(proposals.length).toBeGreaterThan(0);
    // One proposal per finding; a wrong skill's companion goes with its lead's.
    const leads = proposals.filter((p) => p.pair?.role !== 'companion');
    expect(new Set(leads.map((p) => p.finding.id)).size).toBe(leads.length);
    for (const name of QUEUE_NAMES) {
      expect(await jobQueues[name].getFailedCount(), `failed ${name} jobs`).toBe(0);
    }
  });
});
