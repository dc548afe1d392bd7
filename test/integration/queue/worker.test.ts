import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, RequestValidationError } from '../../../src/errors.js';
import { createLogger, silentLogger, type Logger } from '../../../src/logger.js';
import { createEnqueue, defineJob, type Enqueue } from '../../../src/queue/define-job.js';
import { jobIdFrom } from '../../../src/queue/job-id.js';
import { createQueues, type Queues } from '../../../src/queue/queues.js';
import { startWorkers, type RunningWorkers } from '../../../src/queue/worker.js';
import { deleteKeys, testRedis, uniquePrefix, waitFor } from './redis-helpers.js';

interface Deps {
  seen: { accountId: string; attempt: number; jobId: string }[];
  failuresLeft: number;
}

const Payload = z.object({ accountId: z.string().min(1) });
const FAST_RETRY = { attempts: 3, backoff: { type: 'fixed', delay: 10 } } as const;

const record = defineJob<typeof Payload, Deps>({
  name: 'record',
  queue: 'pull',
  payload: Payload,
  options: FAST_RETRY,
  async handle(payload, ctx) {
    ctx.deps.seen.push({ ...payload, attempt: ctx.job.attemptsMade, jobId: ctx.job.id });
    await ctx.progress(50);
    return { ok: payload.accountId };
  },
});

const flaky = defineJob<typeof Payload, Deps>({
  name: 'flaky',
  queue: 'pull',
  payload: Payload,
  options: FAST_RETRY,
  async handle(payload, ctx) {
    ctx.deps.seen.push({ ...payload, attempt: ctx.job.attemptsMade, jobId: ctx.job.id });
    if (ctx.deps.failuresLeft > 0) {
      ctx.deps.failuresLeft -= 1;
      throw new AppError('upstream hiccup', { code: 'klaviyo_network_error', retryable: true });
    }
  },
});

const broken = defineJob<typeof Payload, Deps>({
  name: 'broken',
  queue: 'diagnose',
  payload: Payload,
  options: FAST_RETRY,
  async handle(payload, ctx) {
    ctx.deps.seen.push({ ...payload, attempt: ctx.job.attemptsMade, jobId: ctx.job.id });
    throw new RequestValidationError('bad config for this account');
  },
});

const fanOut = defineJob<typeof Payload, Deps>({
  name: 'fan-out',
  queue: 'synthesize',
  payload: Payload,
  async handle(payload, ctx) {
    await ctx.enqueue(record, { accountId: `${payload.accountId}-child` });
  },
});

describe('queue worker', () => {
  let redis: Redis;
  let prefix: string;
  let queues: Queues;
  let enqueue: Enqueue;
  let running: RunningWorkers | undefined;
  let deps: Deps;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('worker');
    queues = createQueues(redis, prefix);
    enqueue = createEnqueue(queues);
    deps = { seen: [], failuresLeft: 0 };
  });

  afterEach(async () => {
    await running?.close();
    running = undefined;
    await queues.closeAll();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  function start(logger: Logger = silentLogger) {
    running = startWorkers({
      jobs: [record, flaky, broken, fanOut],
      connection: redis,
      prefix,
      deps,
      logger,
    });
    return running;
  }

  async function finished(queue: Queue, id: string, state: 'completed' | 'failed') {
    await waitFor(async () => (await queue.getJobState(id)) === state, `${id} ${state}`);
    const job = await queue.getJob(id);
    if (!job) throw new Error(`job ${id} disappeared`);
    return job;
  }

  it('refuses an invalid payload before it reaches Redis', async () => {
    await expect(enqueue(record, { accountId: '' })).rejects.toThrow(RequestValidationError);
    expect(await queues.pull.count()).toBe(0);
  });

  it('runs a job with its parsed payload and returns its result', async () => {
    start();
    const { id } = await enqueue(record, { accountId: 'a1' });
    const job = await finished(queues.pull, id, 'completed');
    expect(job.returnvalue).toEqual({ ok: 'a1' });
    expect(job.progress).toBe(50);
    expect(deps.seen).toEqual([{ accountId: 'a1', attempt: 0, jobId: id }]);
  });

  it('runs a deterministic job id once', async () => {
    const jobId = jobIdFrom('record', 'a1', new Date('2026-01-01T00:00:00Z'));
    await enqueue(record, { accountId: 'a1' }, { jobId });
    await enqueue(record, { accountId: 'a1' }, { jobId });
    start();
    await finished(queues.pull, jobId, 'completed');
    expect(deps.seen).toHaveLength(1);
  });

  it('retries a retryable failure until it succeeds', async () => {
    deps.failuresLeft = 2;
    start();
    const { id } = await enqueue(flaky, { accountId: 'a1' });
    const job = await finished(queues.pull, id, 'completed');
    expect(deps.seen.map((s) => s.attempt)).toEqual([0, 1, 2]);
    // BullMQ counts the successful attempt too once the job has finished.
    expect(job.attemptsMade).toBe(3);
  });

  it('fails a non-retryable error at once and keeps the failed job', async () => {
    start();
    const { id } = await enqueue(broken, { accountId: 'a1' });
    const job = await finished(queues.diagnose, id, 'failed');
    expect(deps.seen).toHaveLength(1);
    expect(job.failedReason).toBe('bad config for this account');
    expect(await queues.diagnose.getFailedCount()).toBe(1);
  });

  it('logs start, done and a final failure once each, with the job fields', async () => {
    const lines: Record<string, unknown>[] = [];
    start(createLogger({ level: 'info' }, { write: (line) => void lines.push(JSON.parse(line)) }));
    const ok = await enqueue(record, { accountId: 'a1' });
    await finished(queues.pull, ok.id, 'completed');
    const bad = await enqueue(broken, { accountId: 'a1' });
    await finished(queues.diagnose, bad.id, 'failed');
    const about = (queue: string, id: string) =>
      lines.filter((l) => l['queue'] === queue && l['jobId'] === id).map((l) => l['msg']);
    expect(about('pull', ok.id)).toEqual(['job started', 'job done']);
    expect(about('diagnose', bad.id)).toEqual(['job started', 'job failed']);
    expect(lines.find((l) => l['msg'] === 'job done')).toMatchObject({
      queue: 'pull',
      job: 'record',
      attempt: 1,
      durationMs: expect.any(Number),
    });
    expect(lines.find((l) => l['msg'] === 'job failed')).toMatchObject({
      code: 'request_invalid',
      retrying: false,
      err: expect.objectContaining({ message: 'bad config for this account' }),
    });
  });

  it('fails a job whose stored payload no longer matches its schema, without retrying', async () => {
    start();
    const added = await queues.pull.add('record', { accountId: 42 }, { attempts: 3 });
    const job = await finished(queues.pull, added.id ?? '', 'failed');
    expect(job.failedReason).toMatch(/Invalid payload for job "record"/);
    expect(job.attemptsMade).toBe(1);
    expect(deps.seen).toEqual([]);
  });

  it('fails a job name no worker knows', async () => {
    start();
    const added = await queues.pull.add(
      'nobody-handles-this',
      { accountId: 'a1' },
      { attempts: 3 },
    );
    const job = await finished(queues.pull, added.id ?? '', 'failed');
    expect(job.failedReason).toMatch(/No handler for job "nobody-handles-this"/);
  });

  it('lets a handler enqueue follow-up jobs', async () => {
    start();
    const { id } = await enqueue(fanOut, { accountId: 'a1' });
    await finished(queues.synthesize, id, 'completed');
    await waitFor(async () => deps.seen.length === 1, 'the child job');
    expect(deps.seen[0]?.accountId).toBe('a1-child');
  });

  it('starts one worker per queue that has jobs, and close() is safe twice', async () => {
    const { workers, close } = start();
    expect(workers.map((w) => w.name).sort()).toEqual(['diagnose', 'pull', 'synthesize']);
    await Promise.all([close(), close()]);
    await close();
    expect(workers.every((w) => w.closing !== undefined)).toBe(true);
  });
});
