import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);

/**
 * The README's main command, end to end: the embedded sandbox, Redis, in-process workers, one
 * whole cycle, approval by the demo policy, apply and replay. Asserts what a user would see.
 */
describe('npm run demo', () => {
  afterAll(async () => {
    const redis = new Redis(inject('redisUrl'));
    const keys = await redis.keys('agent-trainer-e2e*');
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('runs the whole loop on the demo store and reports what it changed', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'cli/index.ts', 'demo', '--json'],
      {
        env: { ...process.env, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: 'agent-trainer-e2e' },
        timeout: 150_000,
      },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(summary['conversationsPulled']).toBeGreaterThanOrEqual(300);
    const failures = summary['failuresByCategory'] as Record<string, number>;
    // The demo store plants five kinds of failure; the offline diagnoser finds each.
    for (const category of ['knowledge_gap', 'wrong_skill', 'missed_escalation', 'tone']) {
      expect(failures[category]).toBeGreaterThan(5);
    }
    expect(summary['proposals']).toBeGreaterThanOrEqual(3);
    // Two of the demo's changes touch the same skill: the second waits behind the first's
    // attribution window instead of being applied in the same week.
    expect(summary['waiting']).toBeGreaterThanOrEqual(1);
    expect(Number(summary['applied']) + Number(summary['waiting'])).toBe(summary['approved']);
    // The applied changes fix most of what failed at their baseline.
    expect(Number(summary['replaysTotal'])).toBeGreaterThanOrEqual(10);
    expect(Number(summary['replaysFixed'])).toBeGreaterThanOrEqual(
      0.8 * Number(summary['replaysTotal']),
    );
    // The verified fixes grew the regression suite, and the changes after them broke none of it.
    expect(summary['regressionSuite']).toBeGreaterThan(0);
    expect(summary['regressionChecked']).toBeGreaterThan(0);
    expect(summary['regressions']).toBe(0);
    // The demo policy rejects one proposal; the next run does not propose its finding again.
    expect(summary['rejected']).toBe(1);
    expect(summary['rejectedNotReproposed']).toBe(1);
    expect(summary['newProposalsSecondRun']).toBe(0);
    // The failures were reproduced before they were proposed, and no replay got worse.
    expect(summary['reproduced']).toBeGreaterThan(0);
    expect(summary['newlyBroken']).toBe(0);
  }, 160_000);
});
