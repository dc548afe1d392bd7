import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runScaleCycle, type ScaleResult } from '../../bench/scale-run.js';
import {
  generateDemoScenario,
  startSandbox,
  type RunningSandbox,
} from '../../src/sandbox/index.js';

/**
 * Issue 5 at CI size: three real worker processes on one Redis pull and diagnose a sandbox of
 * 2,000 conversations under the spec's rate limits (windows scaled 50×, so the pull's ~2,020
 * calls take under a minute). Every conversation must be pulled and diagnosed exactly once, and
 * the sandbox must never have had to refuse more than the client's safety margin lets through —
 * each 429 it did send honoured by every process before the next call.
 */

const CONVERSATIONS = 2000;
const SCALE = 50;
const SEED = 42;

describe('three workers, one Redis, 2,000 conversations', () => {
  let sandbox: RunningSandbox;
  let result: ScaleResult;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      seed: SEED,
      conversations: CONVERSATIONS,
      rateLimits: { scale: SCALE },
      indexingDelayMs: 0,
    });
    result = await runScaleCycle({
      sandboxUrl: sandbox.url,
      redisUrl: inject('redisUrl'),
      processes: 3,
      scale: SCALE,
      timeoutMs: 100_000,
    });
  }, 115_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  it('pulls every final conversation once and leaves the open ones for later', () => {
    const store = generateDemoScenario({ seed: SEED, conversations: CONVERSATIONS });
    const open = store.conversations.filter((c) => c.status === 'open').length;
    expect(open).toBeGreaterThan(0);
    expect(result.listed).toBe(CONVERSATIONS);
    expect(result.open).toBe(open);
    expect(result.fetched).toBe(CONVERSATIONS - open);
  });

  it('diagnoses every pulled conversation exactly once across the three processes', () => {
    // In bounded batches, handed over page by page while the pull goes on.
    expect(result.largestDiagnoseJob).toBe(25);
    expect(result.diagnosedDuringPull).toBeGreaterThan(0);
    expect(result.diagnoseJobs).toBeGreaterThanOrEqual(Math.ceil(result.fetched / 25));
    expect(result.diagnosed).toBe(result.fetched);
    expect(result.duplicates).toBe(0);
  });

  it('keeps to the rate limits: every call the sandbox refused was waited out by all processes', () => {
    // One listing call per 100 conversations and one message fetch per pulled conversation,
    // plus one retry per 429: nothing else in the conversations group.
    expect(result.calls).toBe(CONVERSATIONS / 100 + result.fetched + result.rateLimited);
    expect(sandbox.stats().rateLimited).toBe(result.rateLimited);
    expect(result.unhonoured429s).toBe(0);
  });
});
