import { Command } from 'commander';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { registerSuiteCommand } from '../../../cli/commands/suite.js';
import { regressionCaseId, RegressionSuiteStore } from '../../../src/store/regression-suite.js';
import { deleteKeys, uniquePrefix } from '../queue/redis-helpers.js';

/**
 * `agent-trainer suite list|show|remove` in-process against a real Redis, configured through the
 * environment as the command line is.
 */

const ACCOUNT = 'default';
let redis: Redis;
let prefix: string;
const saved = { REDIS_URL: process.env['REDIS_URL'], QUEUE_PREFIX: process.env['QUEUE_PREFIX'] };
const caseId = regressionCaseId(ACCOUNT, 'conv_1', 'p_fix');

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  prefix = uniquePrefix('suite-cli');
  process.env['REDIS_URL'] = inject('redisUrl');
  process.env['QUEUE_PREFIX'] = prefix;
  const suite = new RegressionSuiteStore(redis, { prefix });
  for (const [conversationId, fromProposalId] of [
    ['conv_1', 'p_fix'],
    ['conv_2', 'p_other'],
  ] as const) {
    await suite.add(ACCOUNT, {
      conversationId,
      fromProposalId,
      addedAt: '2026-11-20T10:00:00.000Z',
      category: 'knowledge_gap',
      topic: 'international returns',
      passing: 'Questions about "international returns" are answered.',
      skillId: 'sk_returns',
      skillName: 'returns_exchanges',
      channel: 'chat',
      shopperTurns: ['Can I return from Canada? My email is [email].', 'Thanks'],
      lastResult: { passed: true, at: '2026-11-20T10:00:00.000Z', reason: 'every reply answers' },
    });
  }
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await deleteKeys(redis, prefix);
  await redis.quit();
});

/** Runs `agent-trainer suite …` and returns what it printed. */
async function runCli(args: string[]): Promise<string> {
  const program = new Command('agent-trainer').exitOverride();
  registerSuiteCommand(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'agent-trainer', 'suite', ...args]);
  } finally {
    write.mockRestore();
  }
  return out;
}

describe('agent-trainer suite', () => {
  it('lists the cases, as text and as JSON', async () => {
    const text = await runCli(['list']);
    expect(text).toContain(caseId);
    expect(text).toContain('knowledge gap · "international returns"  from p_fix  passed');
    const json = await runCli(['list', '--account', ACCOUNT, '--json']);
    const cases = json
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string });
    expect(cases).toHaveLength(2);
    expect(cases[0]?.id).toBe(caseId);
  });

  it('shows one case: its turns, what passing means, its last result', async () => {
    const shown = await runCli(['show', caseId]);
    expect(shown).toContain('Passing means: Questions about "international returns"');
    expect(shown).toContain('1. Can I return from Canada? My email is [email].');
    expect(shown).toContain('skill returns_exchanges');
    const json = await runCli(['show', caseId, '--json']);
    expect(JSON.parse(json)).toMatchObject({ id: caseId, conversationId: 'conv_1' });
  });

  it('removes a case, and names an unknown id', async () => {
    expect(await runCli(['remove', caseId])).toContain(`Removed ${caseId}`);
    expect(await new RegressionSuiteStore(redis, { prefix }).get(ACCOUNT, caseId)).toBeNull();
    expect(await runCli(['list'])).not.toContain(caseId);

    await expect(runCli(['show', caseId])).rejects.toThrow(`No suite case ${caseId}`);
    await expect(runCli(['remove', 'rc_nope'])).rejects.toThrow(
      /No suite case rc_nope .*suite list/,
    );
  });
});
