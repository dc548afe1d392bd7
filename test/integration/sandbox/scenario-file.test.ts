import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { SANDBOX_KEYS, loadScenarioFile, startSandbox } from '../../../src/sandbox/index.js';
import { api } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const small = {
  name: 'Tiny shop',
  agent: { name: 'Tia', tone_of_voice: { preset: 'professional' } },
  skills: [
    { name: 'faq', display_name: 'FAQ', description: 'Answers questions about opening hours' },
  ],
  knowledge: [
    {
      source_type: 'snippet',
      title: 'Opening hours',
      content: 'We are open from 9 to 5 on weekdays.',
    },
  ],
  conversations: [
    {
      id: 'conv_1',
      status: 'resolved-by-ai',
      created_at: '2026-11-01T10:00:00Z',
      skills: ['faq'],
      messages: [
        {
          role: 'user',
          content: 'What are your opening hours?',
          created_at: '2026-11-01T10:00:00Z',
        },
        {
          role: 'agent',
          content: 'We are open from 9 to 5 on weekdays.',
          created_at: '2026-11-01T10:00:05Z',
        },
      ],
    },
  ],
};

describe('scenario files', () => {
  it('starts a sandbox from a scenario file', async () => {
    const sandbox = await startSandbox({
      port: 0,
      rateLimits: 'off',
      scenario: file('tiny.json', small),
    });
    try {
      const read = api(sandbox, SANDBOX_KEYS.read);
      const conversations = await read.get('/api/customer-agent-conversations');
      expect(conversations.body.data.map((c: { id: string }) => c.id)).toEqual(['conv_1']);
      const agent = await read.get('/api/customer-agents/me');
      expect(agent.body.data.attributes.name).toBe('Tia');
      const answer = await api(sandbox).post('/api/customer-agent-responses', {
        data: {
          type: 'customer-agent-response',
          attributes: {
            mode: 'preview',
            messages: [{ role: 'user', content: 'What are your opening hours?' }],
          },
        },
      });
      expect(answer.body.data.attributes.events[0].content).toBe(
        'We are open from 9 to 5 on weekdays.',
      );
    } finally {
      await sandbox.close();
    }
  });

  it('names the file and the field when the file is invalid', () => {
    const path = file('bad.json', {
      ...small,
      skills: [{ ...small.skills[0], status: 'sleeping' }],
    });
    expect(() => loadScenarioFile(path)).toThrow(ConfigError);
    expect(() => loadScenarioFile(path)).toThrow(
      `scenario file ${path} is not a valid scenario: skills[0].status`,
    );
  });

  it('reports unreadable files and bad JSON as ConfigErrors', () => {
    expect(() => loadScenarioFile(join(dir, 'missing.json'))).toThrow(/cannot read scenario file/);
    expect(() => loadScenarioFile(file('broken.json', '{"skills": ['))).toThrow(
      /is not valid JSON/,
    );
  });
});
