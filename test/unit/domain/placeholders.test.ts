import { describe, expect, it } from 'vitest';
import type { Patch } from '../../../src/patches/patch.js';
import {
  fillPlaceholders,
  findPlaceholders,
  mapPatchText,
  patchTextFields,
  placeholdersInPatch,
  UNDESCRIBED_PLACEHOLDER,
} from '../../../src/domain/placeholders.js';

const returnsContent =
  'Orders shipped outside the US can be returned within {{fill: international return window}} ' +
  'of delivery. Return shipping costs {{fill: international return shipping fee}}; ' +
  'the window is {{fill: international return window}}.';
const returnsSnippet: Patch = {
  kind: 'knowledge.create',
  snippet: { title: 'International returns', content: returnsContent },
};

describe('findPlaceholders', () => {
  it('returns each description once, in order', () => {
    expect(findPlaceholders(returnsContent)).toEqual([
      'international return window',
      'international return shipping fee',
    ]);
  });

  it('finds malformed variants', () => {
    const text = 'A {{ fill:x }} B {{FILL: y  z}} C {{fill w}} D {{ Fill : v }}';
    expect(findPlaceholders(text)).toEqual(['x', 'y z', 'w', 'v']);
  });

  it('reports an empty placeholder so that it still blocks approval', () => {
    expect(findPlaceholders('Call us at {{fill:}} or {{fill}}.')).toEqual([
      UNDESCRIBED_PLACEHOLDER,
    ]);
  });

  it('ignores other template syntax', () => {
    expect(findPlaceholders('Hello {{ first_name }}, {{filler}} {fill: x}')).toEqual([]);
  });
});

describe('placeholdersInPatch', () => {
  it('looks in every text field of every kind', () => {
    const patches: Patch[] = [
      returnsSnippet,
      {
        kind: 'skill.update',
        skillId: 'order-status',
        changes: {
          instructions: 'Carrier cutoff is {{fill: carrier cutoff time}}.',
          handoff: 'offer',
        },
      },
      {
        kind: 'agent.escalation-rule.edit',
        title: 'Damaged items',
        rule: {
          title: 'Damaged items {{fill: claim window}}',
          description: 'Escalate claims after {{fill: claim window}}.',
          status: 'enabled',
        },
      },
      {
        kind: 'agent.tone.update',
        tone: { preset: 'custom', custom_instruction: 'Sign off as {{fill: team name}}.' },
      },
      { kind: 'agent.tone.update', tone: { preset: 'friendly', custom_instruction: null } },
    ];
    expect(patches.map(placeholdersInPatch)).toEqual([
      ['international return window', 'international return shipping fee'],
      ['carrier cutoff time'],
      ['claim window'],
      ['team name'],
      [],
    ]);
  });

  it('does not look at identifiers such as the title an edit targets', () => {
    const patch: Patch = {
      kind: 'agent.communication-style.edit',
      title: 'Uses {{fill: x}}',
      style: { title: 'Plain words', description: 'Write short sentences.', status: 'enabled' },
    };
    expect(placeholdersInPatch(patch)).toEqual([]);
  });
});

describe('patchTextFields and mapPatchText', () => {
  it('lists the free-text fields with their paths', () => {
    const patch: Patch = {
      kind: 'skill.create',
      skill: {
        display_name: 'Warranty claims',
        description: 'Handles warranty questions.',
        instructions: 'Ask for the product and the defect.',
        handoff: 'offer',
        status: 'draft',
      },
    };
    expect(patchTextFields(patch).map((f) => f.field)).toEqual([
      'skill.display_name',
      'skill.description',
      'skill.instructions',
    ]);
  });

  it('returns a new patch and leaves the original untouched', () => {
    const before = structuredClone(returnsSnippet);
    const upper = mapPatchText(returnsSnippet, (text) => text.toUpperCase());
    expect(returnsSnippet).toEqual(before);
    expect(upper.kind === 'knowledge.create' && upper.snippet.title).toBe('INTERNATIONAL RETURNS');
  });
});

describe('fillPlaceholders', () => {
  it('replaces known placeholders by description and leaves unknown ones', () => {
    const filled = fillPlaceholders(returnsSnippet, {
      ' International  Return Window ': '30 days',
    });
    expect(filled).toEqual({
      kind: 'knowledge.create',
      snippet: {
        title: 'International returns',
        content:
          'Orders shipped outside the US can be returned within 30 days of delivery. Return ' +
          'shipping costs {{fill: international return shipping fee}}; the window is 30 days.',
      },
    });
    expect(placeholdersInPatch(filled)).toEqual(['international return shipping fee']);
    expect(placeholdersInPatch(returnsSnippet)).toHaveLength(2);
  });

  it('inserts values literally, even with replacement patterns in them', () => {
    const filled = fillPlaceholders(returnsSnippet, {
      'international return window': '$& days',
      'international return shipping fee': '$15',
    });
    expect(placeholdersInPatch(filled)).toEqual([]);
    expect(filled.kind === 'knowledge.create' && filled.snippet.content).toContain(
      'within $& days',
    );
  });

  it('fills malformed variants too', () => {
    const patch: Patch = {
      kind: 'knowledge.update',
      knowledgeId: 'k-1',
      changes: { content: 'Free shipping over {{ FILL:free shipping threshold }}.' },
    };
    const filled = fillPlaceholders(patch, { 'free shipping threshold': '$75' });
    expect(filled).toEqual({ ...patch, changes: { content: 'Free shipping over $75.' } });
  });
});
