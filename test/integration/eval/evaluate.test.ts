import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { ConfigError } from '../../../src/errors.js';
import { evaluateScenario } from '../../../src/eval/evaluate.js';
import { ScenarioSchema, type ScenarioInput } from '../../../src/sandbox/index.js';

const AT = '2026-11-20T10:00:00Z';

const conversation = (labels: string[], messages: ['user' | 'agent', string][]) => ({
  status: 'closed' as const,
  created_at: AT,
  labels,
  messages: messages.map(([role, content]) => ({ role, content, created_at: AT })),
});

/** Two shipping questions that the agent could not answer, and one success. */
const STORE: ScenarioInput = {
  name: 'eval-test',
  skills: [
    {
      name: 'shipping',
      display_name: 'Shipping',
      description: 'Answers questions about shipping times and carriers.',
    },
  ],
  knowledge: [
    { source_type: 'snippet', title: 'Carriers', content: 'We ship with UPS within 2 days.' },
  ],
  conversations: [
    ...['Do you ship to Iceland?', 'Can you send a parcel to Iceland?'].map((question) =>
      conversation(
        ['outcome:failure', 'category:knowledge_gap', 'pattern:iceland'],
        [
          ['user', question],
          ['agent', "I'm sorry, I don't have information about shipping to Iceland."],
          ['user', 'ok never mind'],
        ],
      ),
    ),
    conversation(
      ['outcome:success'],
      [
        ['user', 'Which carrier do you use?'],
        ['agent', 'We ship with UPS within 2 days.'],
        ['user', 'thanks!'],
      ],
    ),
  ],
  patterns: [
    {
      id: 'iceland',
      category: 'knowledge_gap',
      summary: 'Shipping to Iceland is unknown.',
      expectedKinds: ['knowledge.create'],
    },
  ],
};

describe('evaluateScenario', () => {
  const config = () => loadConfig({ REDIS_URL: inject('redisUrl') });

  it('scores a labelled store: detection, the pattern and its proposal', async () => {
    const { score, diagnoser } = await evaluateScenario({
      config: config(),
      scenario: ScenarioSchema.parse(STORE),
    });
    expect(diagnoser).toBe('rules');
    expect(score.detection).toMatchObject({ failures: 2, successes: 1, truePositives: 2 });
    expect(score.patterns).toEqual([
      expect.objectContaining({
        id: 'iceland',
        ok: true,
        proposals: [expect.objectContaining({ kind: 'knowledge.create', kindExpected: true })],
      }),
    ]);
  });

  it('scores a store written over longer than the 30 days the loop keeps by default', async () => {
    // The same store with its success written 45 days before the failures.
    const [iceland, parcel, success] = STORE.conversations!;
    const early = '2026-10-06T10:00:00Z';
    const spread = {
      ...STORE,
      conversations: [
        iceland!,
        parcel!,
        {
          ...success!,
          created_at: early,
          messages: success!.messages.map((m) => ({ ...m, created_at: early })),
        },
      ],
    };
    const { score } = await evaluateScenario({
      config: config(),
      scenario: ScenarioSchema.parse(spread),
    });
    expect(score.detection).toMatchObject({ failures: 2, successes: 1, truePositives: 2 });
    expect(score.detection.uncertainSuccesses).toBe(0);
  });

  it('refuses a pattern that expects no patch kind there is, naming the kinds, before running', async () => {
    const scenario = ScenarioSchema.parse({
      ...STORE,
      patterns: [{ ...STORE.patterns![0]!, expectedKinds: ['add_snippet'] }],
    });
    const attempt = evaluateScenario({
      config: loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }),
      scenario,
    });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/pattern "iceland".*"add_snippet".*knowledge\.create/);
  });
});
