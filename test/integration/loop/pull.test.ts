import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FINAL_STATUSES } from '../../../src/domain/snapshot.js';
import {
  createKlaviyoClient,
  filter,
  type Conversation,
  type KlaviyoClient,
} from '../../../src/klaviyo/index.js';
import { fetchTier } from '../../../src/loop/pull/fetch-plan.js';
import { pullIncremental, type PullSummary } from '../../../src/loop/pull/pull-conversations.js';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { createStores, type Stores } from '../../../src/store/index.js';

const ACCOUNT = 'acct_pull';
const NOW = new Date();

let redis: Redis;
let sandbox: RunningSandbox;
let client: KlaviyoClient;
let window: Conversation[];

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  sandbox = await startSandbox({ port: 0, scenario: 'demo', rateLimits: 'off', now: () => NOW });
  client = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.read,
    baseUrl: sandbox.url,
    rateLimits: 'off',
  });
  window = await client.conversations
    .list({ filter: filter().greaterOrEqual('created_at', new Date(0)), pageSize: 100 })
    .toArray();
});
afterAll(async () => {
  await sandbox.close();
  await redis.quit();
});

/** Message fetches the sandbox has answered so far (one page per conversation here). */
function messageFetches(): number {
  const statuses =
    sandbox.stats().byOperation['get_agent_messages_for_customer_agent_conversation_beta'] ?? {};
  return statuses['200'] ?? 0;
}

async function freshStores(): Promise<{ stores: Stores; prefix: string }> {
  const prefix = `test-pull-${randomUUID()}`;
  return { stores: createStores(redis, { prefix, now: () => NOW }), prefix };
}

/**
 * Runs one pull with a budget, recording what it handed to the diagnoser, in order. A run of its
 * own unless given one: the same `runId` again is a retry of that run.
 */
async function pull(
  stores: Stores,
  maxConversations: number,
  handed: string[],
  options: { handOff?: (ids: string[]) => Promise<void>; runId?: string; since?: Date } = {},
): Promise<PullSummary> {
  const { handOff, runId = randomUUID(), since } = options;
  return pullIncremental({
    accountId: ACCOUNT,
    client,
    checkpoints: stores.checkpoints,
    snapshots: stores.snapshots,
    runId,
    ...(since ? { since } : {}),
    overlapMinutes: 60,
    initialDays: 31,
    maxConversations,
    now: () => NOW,
    handOff: async (changed) => {
      const ids = changed.map((c) => c.id);
      await handOff?.(ids);
      handed.push(...ids);
    },
  });
}

describe('pull over a budget: failures first, the rest over the following runs', () => {
  it('fetches routed and closed conversations first, then a sample of AI resolutions', async () => {
    const { stores } = await freshStores();
    const final = window.filter((c) => FINAL_STATUSES.has(c.attributes.status));
    const failures = final.filter((c) => fetchTier(c) === 0);
    const sampled = final.filter((c) => fetchTier(c) === 1);
    expect(failures.length).toBeGreaterThan(10);
    expect(sampled.length).toBeGreaterThan(0);
    const budget = failures.length + sampled.length;
    const handed: string[] = [];
    const summary = await pull(stores, budget, handed);

    expect(summary.listingDone).toBe(true);
    expect(summary.toFetch).toBe(budget);
    expect(summary.fetched).toBe(budget);
    expect(summary.deferred).toBe(final.length - budget);
    const tierOf = new Map(final.map((c) => [c.id, fetchTier(c)]));
    expect(new Set(handed)).toEqual(new Set([...failures, ...sampled].map((c) => c.id)));
    // In order: every failure is handed over before any sampled resolution.
    const tiers = handed.map((id) => tierOf.get(id));
    expect(tiers.lastIndexOf(0)).toBeLessThan(tiers.indexOf(1));
  });

  it('ends with every final conversation fetched and handed over exactly once, over several runs', async () => {
    const { stores } = await freshStores();
    const final = window.filter((c) => FINAL_STATUSES.has(c.attributes.status));
    const handed: string[] = [];
    const summaries: PullSummary[] = [];
    for (let run = 0; run < 20; run += 1) {
      const summary = await pull(stores, 60, handed);
      summaries.push(summary);
      if (summary.deferred === 0 && summary.toFetch === 0) break;
    }
    expect(summaries.length).toBe(Math.ceil(final.length / 60) + 1);
    expect(summaries.every((s) => (s.toFetch ?? 0) <= 60)).toBe(true);
    expect(handed.toSorted()).toEqual(final.map((c) => c.id).toSorted());
    for (const c of final) {
      await expect(stores.snapshots.get(ACCOUNT, c.id)).resolves.not.toBeNull();
    }
    // The budget went to failures first: the first run's fetches were all routed or closed.
    const firstRun = handed.slice(0, 60);
    expect(
      firstRun.every((id) => fetchTier(final.find((c) => c.id === id) as Conversation) === 0),
    ).toBe(true);
  });

  it('loses nothing when a run stops part-way, and hands over again only what it had not marked', async () => {
    const { stores } = await freshStores();
    const final = window.filter((c) => FINAL_STATUSES.has(c.attributes.status));
    const handed: string[] = [];
    let batches = 0;
    // The diagnoser's queue fails on the second batch: the pull stops there, unfinished.
    await expect(
      pull(stores, 250, handed, {
        handOff: async () => {
          batches += 1;
          if (batches === 2) throw new Error('queue unavailable');
        },
      }),
    ).rejects.toThrow('queue unavailable');
    expect(await stores.checkpoints.get(ACCOUNT)).toBeNull();
    for (let run = 0; run < 20; run += 1) {
      const summary = await pull(stores, 250, handed);
      if (summary.deferred === 0 && summary.toFetch === 0) break;
    }
    const counts = new Map<string, number>();
    for (const id of handed) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.keys()].toSorted()).toEqual(final.map((c) => c.id).toSorted());
    // The stopped batch was stored but not marked: the next run hands it over, once.
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('counts what a retried run fetched in its failed attempt, against its budget; the next run does not', async () => {
    const { stores } = await freshStores();
    const final = window.filter((c) => FINAL_STATUSES.has(c.attributes.status));
    const budget = 250;
    expect(final.length).toBeGreaterThan(budget);
    const run = randomUUID();
    let batches = 0;
    const before = messageFetches();
    // The first attempt stops at its second hand-off, with two batches fetched and stored.
    await expect(
      pull(stores, budget, [], {
        runId: run,
        handOff: async () => {
          batches += 1;
          if (batches === 2) throw new Error('queue unavailable');
        },
      }),
    ).rejects.toThrow('queue unavailable');
    const firstAttempt = messageFetches() - before;
    expect(firstAttempt).toBeGreaterThan(0);

    const retry = await pull(stores, budget, [], { runId: run });
    const retryAttempt = messageFetches() - before - firstAttempt;
    // The run reports the fetches of both attempts, and they stayed within its budget.
    expect(retry.fetched).toBe(firstAttempt + retryAttempt);
    expect(retry.fetchedEarlier).toBe(firstAttempt);
    expect(retry.toFetch).toBe(retry.fetched);
    expect(retry.fetched).toBe(budget);
    expect(retry.unchanged).toBe(0);
    expect(retry.deferred).toBe(final.length - budget);

    // Another run finds them stored by an earlier run: unchanged, not fetched by it.
    const next = await pull(stores, budget, [], { since: new Date(0) });
    expect(next.fetchedEarlier).toBe(0);
    expect(next.unchanged).toBe(retry.fetched);
    expect(next.fetched).toBe(messageFetches() - before - firstAttempt - retryAttempt);
  });
});
