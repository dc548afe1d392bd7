import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { ScenarioSchema, parseScenario } from '../../../src/sandbox/scenario.js';

const minimal = {
  skills: [{ name: 'order_status', display_name: 'Order Status', description: 'Tracks orders' }],
  conversations: [
    {
      status: 'resolved-by-ai',
      created_at: '2026-11-01T10:00:00Z',
      skills: ['order_status'],
      messages: [
        { role: 'user', content: 'Where is my order?', created_at: '2026-11-01T10:00:00Z' },
      ],
    },
  ],
};

function errorOf(input: unknown): string {
  try {
    parseScenario(input, 'scenario file demo.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('ScenarioSchema', () => {
  it('accepts a minimal scenario and fills defaults', () => {
    const scenario = ScenarioSchema.parse(minimal);
    expect(scenario.skills[0]).toMatchObject({
      status: 'live',
      handoff: 'offer',
      source: 'custom',
      tools: [],
    });
    expect(scenario.conversations[0]?.channel).toBe('web-chat');
    expect(scenario.agent.tone_of_voice.preset).toBe('neutral');
  });

  it('names the file and the field of a bad value', () => {
    const bad = { ...minimal, skills: [{ ...minimal.skills[0], handoff: 'sometimes' }] };
    const message = errorOf(bad);
    expect(message).toContain('scenario file demo.json');
    expect(message).toContain('skills[0].handoff');
  });

  it('rejects unknown fields, with their path', () => {
    const bad = { ...minimal, agent: { name: 'A', colour: 'green' } };
    expect(errorOf(bad)).toMatch(/agent.*colour/);
  });

  it('rejects a conversation that names an unknown skill', () => {
    const bad = {
      ...minimal,
      conversations: [{ ...minimal.conversations[0], skills: ['warranty'] }],
    };
    expect(errorOf(bad)).toContain('conversations[0].skills[0]: unknown skill "warranty"');
  });

  it('rejects a skill bound to an unknown tool and a tool using an unknown secret', () => {
    const bad = {
      skills: [{ ...minimal.skills[0], tools: ['Lookup'] }],
      tools: [
        {
          type: 'custom',
          name: 'Other',
          public_description: 'x',
          request_template: { url_template: 'https://x.example/{{id}}', http_method: 'GET' },
          variables: [{ name: 'key', type: 'string', source: 'secret', value: 'sec_missing' }],
        },
      ],
    };
    const message = errorOf(bad);
    expect(message).toContain('skills[0].tools[0]: unknown tool "Lookup"');
    expect(message).toContain('tools[0].variables[0].value: unknown secret "sec_missing"');
  });

  it('rejects bad timestamps and empty conversations', () => {
    const bad = {
      conversations: [{ status: 'open', created_at: 'yesterday', messages: [] }],
    };
    const message = errorOf(bad);
    expect(message).toContain('conversations[0].created_at');
    expect(message).toContain('conversations[0].messages');
  });
});
