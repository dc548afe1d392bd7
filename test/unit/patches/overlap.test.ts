import { describe, expect, it } from 'vitest';
import { sharedChanges } from '../../../src/patches/overlap.js';
import type { Baseline, Patch } from '../../../src/patches/patch.js';

const on = (type: Baseline['target']['type'], id: string | null, patch: Patch) => ({
  patch,
  baseline: { target: { type, id }, fields: {}, updatedAt: null, readAt: '2026-12-01T00:00:00Z' },
});
const skill = (changes: Record<string, string>) =>
  on('agent-skill', 'sk_1', { kind: 'skill.update', skillId: 'sk_1', changes });
const rule = (title: string) =>
  on('customer-agent', 'agent_1', {
    kind: 'agent.escalation-rule.add',
    rule: { title, description: `Hand off on ${title}.`, status: 'enabled' },
  });
const snippet = (title: string) =>
  on('agent-knowledge', null, { kind: 'knowledge.create', snippet: { title, content: 'Text.' } });

describe('sharedChanges', () => {
  it('collides on the same field of the same skill, not on another field or skill', () => {
    expect(sharedChanges(skill({ instructions: 'a' }), skill({ instructions: 'b' }))).toEqual([
      'agent-skill:sk_1:instructions',
    ]);
    expect(sharedChanges(skill({ instructions: 'a' }), skill({ description: 'b' }))).toEqual([]);
    const other = on('agent-skill', 'sk_2', {
      kind: 'skill.update',
      skillId: 'sk_2',
      changes: { instructions: 'b' },
    });
    expect(sharedChanges(skill({ instructions: 'a' }), other)).toEqual([]);
  });

  it('collides on one item of a rule list (by title, any case), not on other items', () => {
    expect(sharedChanges(rule('Lawyers'), rule('lawyers'))).toHaveLength(1);
    expect(sharedChanges(rule('Lawyers'), rule('Injuries'))).toEqual([]);
  });

  it('collides on creates of the same title only', () => {
    expect(sharedChanges(snippet('Gift returns'), snippet('Gift Returns'))).toHaveLength(1);
    expect(sharedChanges(snippet('Gift returns'), snippet('Sale items'))).toEqual([]);
  });
});
