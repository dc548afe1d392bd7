import { describe, expect, it } from 'vitest';
import { rebaseOnto } from '../../../../src/loop/apply/rebase.js';
import type { TargetState } from '../../../../src/patches/kind.js';
import type { Baseline, Patch } from '../../../../src/patches/patch.js';

const DRAFTED = 'Answer from the return policy.\nOffer a teammate when unsure.';

const baseline = (fields: Record<string, unknown>): Baseline => ({
  target: { type: 'agent-skill', id: 'sk_1' },
  fields,
  updatedAt: null,
  readAt: '2026-12-01T00:00:00.000Z',
});
const skill = (changes: Record<string, string>): Patch => ({
  kind: 'skill.update',
  skillId: 'sk_1',
  changes,
});
const now = (fields: Record<string, unknown>): TargetState => ({
  fields,
  isCreate: false,
  resourceId: 'sk_1',
});

describe('rebaseOnto', () => {
  const ours = skill({ instructions: `${DRAFTED}\n\nOurs.` });
  const drafted = baseline({ instructions: DRAFTED });

  it('appends our lines to a text others appended lines to', () => {
    const result = rebaseOnto(
      { patch: ours, baseline: drafted },
      now({ instructions: `${DRAFTED}\n\nTheirs.` }),
    );
    expect(result).toMatchObject({
      where: 'rebased',
      patch: { changes: { instructions: `${DRAFTED}\n\nTheirs.\n\nOurs.` } },
      before: { instructions: `${DRAFTED}\n\nTheirs.` },
    });
  });

  it('sees our lines in place, wherever others appended theirs', () => {
    const text = `${DRAFTED}\n\nOurs.\n\nTheirs.`;
    expect(rebaseOnto({ patch: ours, baseline: drafted }, now({ instructions: text }))).toEqual({
      where: 'proposed',
    });
  });

  it.each([
    ['a drafted line edited', `Answer from the returns page.\nOffer a teammate when unsure.\n\nX.`],
    ['text appended on the last drafted line', `${DRAFTED} Exchanges too.`],
    ['the text emptied', ''],
  ])('refuses when %s', (_what, text) => {
    expect(rebaseOnto({ patch: ours, baseline: drafted }, now({ instructions: text }))).toEqual({
      where: 'conflict',
    });
  });

  it('refuses a change that rewrites the text instead of appending lines', () => {
    const rewrite = skill({ instructions: 'Answer from the policy only.' });
    const text = `${DRAFTED}\n\nTheirs.`;
    expect(rebaseOnto({ patch: rewrite, baseline: drafted }, now({ instructions: text }))).toEqual({
      where: 'conflict',
    });
  });

  it('refuses when both changes together are longer than a patch may be', () => {
    const long = 'x'.repeat(7990);
    const text = `${DRAFTED}\n\n${long}`;
    expect(rebaseOnto({ patch: ours, baseline: drafted }, now({ instructions: text }))).toEqual({
      where: 'conflict',
    });
  });

  it('never rebases the tone, a single value', () => {
    const tone: Patch = {
      kind: 'agent.tone.update',
      tone: { preset: 'friendly', custom_instruction: null },
    };
    const result = rebaseOnto(
      {
        patch: tone,
        baseline: baseline({ tone_of_voice: { preset: 'neutral', custom_instruction: null } }),
      },
      now({ tone_of_voice: { preset: 'playful', custom_instruction: null } }),
    );
    expect(result).toEqual({ where: 'conflict' });
  });
});
