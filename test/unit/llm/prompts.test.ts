import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { loadPrompt } from '../../../src/llm/prompts.js';

const dir = fileURLToPath(new URL('./fixtures/prompts/', import.meta.url));

describe('loadPrompt', () => {
  it('fills {{var}} slots in both sections and records name and version', () => {
    const prompt = loadPrompt('greet.v2', { audience: 'shoppers', name: 'Ann' }, { dir });
    expect(prompt).toEqual({
      id: 'greet.v2',
      name: 'greet',
      version: 2,
      system: 'You greet shoppers. Placeholders look like {{fill: a missing fact}}.',
      user: 'Say hello to Ann from shoppers.',
    });
  });

  it('never expands slots that appear inside a value', () => {
    const prompt = loadPrompt('greet.v2', { audience: '{{name}}', name: 'Ann' }, { dir });
    expect(prompt.user).toBe('Say hello to Ann from {{name}}.');
  });

  it('treats a file without sections as the user message', () => {
    expect(loadPrompt('plain.v1', { topic: 'returns' }, { dir })).toMatchObject({
      system: '',
      user: 'Just a user prompt about returns.',
    });
  });

  it('names every unfilled variable', () => {
    expect(() => loadPrompt('greet.v2', { audience: 'x' }, { dir })).toThrow(
      /greet\.v2 has unfilled variables: name/,
    );
    expect(() => loadPrompt('greet.v2', {}, { dir })).toThrow(ConfigError);
  });

  it('says which file is missing', () => {
    expect(() => loadPrompt('absent.v1', {}, { dir })).toThrow(
      /prompt absent\.v1 not found: .*absent\.v1\.md/,
    );
  });

  it('refuses unversioned or path-like names', () => {
    expect(() => loadPrompt('greet', {}, { dir })).toThrow(/not versioned/);
    expect(() => loadPrompt('../greet.v2', {}, { dir })).toThrow(/not versioned/);
  });

  it.each([
    ['diagnose-conversation.v2', { transcript: 'T' }],
    ['draft-patch.v4', { finding: 'F', target_config: 'C', rejections: 'R' }],
    ['judge-replay.v1', { transcript: 'T', agent_reply: 'R' }],
  ])('loads the shipped prompt %s with its variables and the untrusted-data rule', (name, vars) => {
    const prompt = loadPrompt(name, vars);
    expect(prompt.id).toBe(name);
    expect(prompt.system).toMatch(/data/);
    expect(prompt.system).toMatch(/never (an )?instructions?\s+to\s+you/);
    expect(prompt.system).not.toMatch(/\{\{\s*[A-Za-z_]+\s*\}\}/);
    for (const value of Object.values(vars)) expect(prompt.user).toContain(value);
  });
});
