import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../../src/errors.js';
import { defineJob } from '../../../src/queue/define-job.js';
import { createQueues, type Queues } from '../../../src/queue/queues.js';
import { syncSchedules, type AccountSchedules } from '../../../src/queue/schedules.js';
import { deleteKeys, testRedis, uniquePrefix } from './redis-helpers.js';

const AccountPayload = z.object({ accountId: z.string().min(1) });

const pullConversations = defineJob({
  name: 'pull-conversations',
  queue: 'pull',
  payload: AccountPayload,
  schedule: 'per-account',
  handle: async () => {},
});
const synthesize = defineJob({
  name: 'synthesize-proposals',
  queue: 'synthesize',
  payload: AccountPayload,
  schedule: 'per-account',
  options: { attempts: 2 },
  handle: async () => {},
});
const notScheduled = defineJob({
  name: 'apply-proposal',
  queue: 'apply',
  payload: z.object({ proposalId: z.string() }),
  handle: async () => {},
});
const jobs = [pullConversations, synthesize, notScheduled];

const daily = { pattern: '0 6 * * *', tz: 'Europe/London' };
const accounts: AccountSchedules[] = [
  { id: 'acct_a', schedules: { 'pull-conversations': daily, 'synthesize-proposals': daily } },
  { id: 'acct_b', schedules: { 'pull-conversations': { pattern: '*/30 * * * *', tz: 'UTC' } } },
];

describe('syncSchedules', () => {
  let redis: Redis;
  let prefix: string;
  let queues: Queues;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix('sched');
    queues = createQueues(redis, prefix);
  });

  afterEach(async () => {
    await queues.closeAll();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  async function schedulers() {
    const pull = await queues.pull.getJobSchedulers(0, -1);
    const synth = await queues.synthesize.getJobSchedulers(0, -1);
    return [...pull, ...synth].map((s) => ({
      id: s.id ?? s.key,
      name: s.name,
      pattern: s.pattern,
      tz: s.tz,
      data: s.template?.data,
    }));
  }

  it('creates one scheduler per account and job even when workers sync at once', async () => {
    const results = await Promise.all([
      syncSchedules(queues, jobs, accounts),
      syncSchedules(queues, jobs, accounts),
      syncSchedules(queues, jobs, accounts),
    ]);
    expect(results[0]?.upserted.sort()).toEqual([
      'pull-conversations--acct_a',
      'pull-conversations--acct_b',
      'synthesize-proposals--acct_a',
    ]);
    const found = await schedulers();
    expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      {
        id: 'pull-conversations--acct_a',
        name: 'pull-conversations',
        ...daily,
        data: { accountId: 'acct_a' },
      },
      {
        id: 'pull-conversations--acct_b',
        name: 'pull-conversations',
        pattern: '*/30 * * * *',
        tz: 'UTC',
        data: { accountId: 'acct_b' },
      },
      {
        id: 'synthesize-proposals--acct_a',
        name: 'synthesize-proposals',
        ...daily,
        data: { accountId: 'acct_a' },
      },
    ]);
    // One pending fire per scheduler, not one per sync.
    expect(await queues.pull.getDelayedCount()).toBe(2);
    expect(await queues.synthesize.getDelayedCount()).toBe(1);
  });

  it('carries the job options into the scheduled jobs', async () => {
    await syncSchedules(queues, jobs, accounts);
    const [next] = await queues.synthesize.getDelayed();
    expect(next?.opts.attempts).toBe(2);
    expect(next?.opts.removeOnFail).toEqual({ age: 30 * 24 * 60 * 60 });
  });

  it('updates changed schedules in place and removes unconfigured ones', async () => {
    await syncSchedules(queues, jobs, accounts);
    const result = await syncSchedules(queues, jobs, [
      { id: 'acct_a', schedules: { 'pull-conversations': { pattern: '0 7 * * *', tz: 'UTC' } } },
    ]);
    expect(result.removed.sort()).toEqual([
      'pull-conversations--acct_b',
      'synthesize-proposals--acct_a',
    ]);
    expect(await schedulers()).toEqual([
      {
        id: 'pull-conversations--acct_a',
        name: 'pull-conversations',
        pattern: '0 7 * * *',
        tz: 'UTC',
        data: { accountId: 'acct_a' },
      },
    ]);
  });

  it('refuses a bad cron pattern or time zone, naming the account and job, and changes nothing', async () => {
    await syncSchedules(queues, jobs, accounts);
    const badCron = [
      accounts[0]!,
      { id: 'acct_b', schedules: { 'pull-conversations': { pattern: '61 * * * *', tz: 'UTC' } } },
    ];
    await expect(syncSchedules(queues, jobs, badCron)).rejects.toThrow(
      /Account acct_b, job pull-conversations: cron pattern "61 \* \* \* \*" is invalid/,
    );
    const badTz = [
      {
        id: 'acct_c',
        schedules: { 'pull-conversations': { pattern: '0 6 * * *', tz: 'Mars/Olympus' } },
      },
    ];
    await expect(syncSchedules(queues, jobs, badTz)).rejects.toThrow(ConfigError);
    await expect(syncSchedules(queues, jobs, badTz)).rejects.toThrow(/acct_c.*Mars\/Olympus/);
    expect(await schedulers()).toHaveLength(3);
  });

  it('refuses a schedule for a job that is not scheduled per account', async () => {
    const typo = [{ id: 'acct_a', schedules: { 'apply-proposal': daily } }];
    await expect(syncSchedules(queues, jobs, typo)).rejects.toThrow(
      /Account acct_a: "apply-proposal" is not a scheduled job/,
    );
  });
});
