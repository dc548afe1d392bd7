import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/errors.js';
import type { Diagnosis } from '../../../../src/domain/diagnosis.js';
import { sampleValue, triage } from '../../../../src/loop/diagnose/triage.js';

function diagnosis(conversationId: string, outcome: Diagnosis['outcome']): Diagnosis {
  return {
    conversationId,
    outcome,
    category: outcome === 'failure' ? 'knowledge_gap' : null,
    skillId: null,
    topic: 'returns',
    evidence: [],
    confidence: 0.8,
    summary: 'A diagnosis.',
    diagnoser: 'rules',
  };
}

const ids = Array.from({ length: 1000 }, (_, i) => `conv-${i}`);
const claudeShare = (sample: number, seed: string) =>
  ids.filter((id) => triage(diagnosis(id, 'success'), { successSample: sample, seed }) === 'claude')
    .length / ids.length;

describe('triage', () => {
  it('always sends failures and uncertain diagnoses to Claude', () => {
    for (const outcome of ['failure', 'uncertain'] as const) {
      expect(triage(diagnosis('c1', outcome), { successSample: 0, seed: 's' })).toBe('claude');
    }
  });

  it('sends about the sampled share of successes to Claude', () => {
    expect(claudeShare(0, 'run-1')).toBe(0);
    expect(claudeShare(1, 'run-1')).toBe(1);
    for (const sample of [0.05, 0.1, 0.5]) {
      expect(Math.abs(claudeShare(sample, 'run-1') - sample)).toBeLessThan(0.04);
    }
  });

  it('picks the same successes on a rerun, and other ones with another seed', () => {
    const picked = (seed: string) =>
      ids.filter(
        (id) => triage(diagnosis(id, 'success'), { successSample: 0.2, seed }) === 'claude',
      );
    expect(picked('acct-1')).toEqual(picked('acct-1'));
    expect(picked('acct-1')).not.toEqual(picked('acct-2'));
    // A larger sample keeps every conversation a smaller one picked.
    const wider = new Set(
      ids.filter(
        (id) =>
          triage(diagnosis(id, 'success'), { successSample: 0.4, seed: 'acct-1' }) === 'claude',
      ),
    );
    expect(picked('acct-1').every((id) => wider.has(id))).toBe(true);
    expect(sampleValue('conv-1', 'x')).toBe(sampleValue('conv-1', 'x'));
  });

  it('rejects a sample outside 0..1', () => {
    for (const bad of [-0.1, 1.5, Number.NaN]) {
      expect(() => triage(diagnosis('c1', 'success'), { successSample: bad, seed: 's' })).toThrow(
        ConfigError,
      );
    }
  });
});
