import { describe, expect, it } from 'vitest';
import type { Baseline, GuidanceItem, Patch } from '../../../src/patches/patch.js';
import { findGuidanceIndex } from '../../../src/patches/guidance-list.js';
import {
  baselineFieldsFor,
  proposedFields,
  renderPatchDiff,
  summarizePatch,
  touchedFields,
} from '../../../src/patches/render-diff.js';

const damaged: GuidanceItem = {
  title: 'Damaged items',
  description: 'Escalate when a shopper reports gear that arrived damaged.',
  status: 'enabled',
};
const warranty: GuidanceItem = {
  title: 'Warranty claims',
  description: 'Escalate warranty claims older than one year.',
  status: 'enabled',
};

const orderStatusAttributes = {
  source: 'custom',
  display_name: 'Order status',
  name: 'order_status',
  description: 'Answers where-is-my-order questions.',
  instructions: 'Look up the order.\nShare the tracking link.\nApologize for delays.',
  status: 'live',
  handoff: 'offer',
  updated_at: '2026-10-01T00:00:00+00:00',
};

const agentAttributes = {
  name: 'Trailhead Outfitters agent',
  tone_of_voice: {
    preset: 'friendly',
    custom_instruction: null,
    updated_at: '2026-09-01T00:00:00Z',
  },
  escalation_rules: [damaged, warranty],
  communication_styles: [],
};

function baseline(patch: Patch, current: Record<string, unknown>, id: string | null): Baseline {
  return {
    target: { type: 'agent-skill', id },
    fields: baselineFieldsFor(patch, current),
    updatedAt: null,
    readAt: '2026-11-02T10:00:00Z',
  };
}

const instructionsEdit: Patch = {
  kind: 'skill.update',
  skillId: 'order-status',
  changes: {
    instructions:
      'Look up the order.\nShare the tracking link.\nIf tracking shows no scan for 5 days, offer a replacement.\nApologize for delays.',
  },
};

describe('touchedFields', () => {
  it('names the fields each kind writes', () => {
    expect(touchedFields(instructionsEdit)).toEqual(['instructions']);
    expect(
      touchedFields({
        kind: 'skill.update',
        skillId: 's',
        changes: { status: 'live', description: 'd' },
      }),
    ).toEqual(['description', 'status']);
    expect(touchedFields({ kind: 'agent.escalation-rule.add', rule: damaged })).toEqual([
      'escalation_rules',
    ]);
    expect(
      touchedFields({ kind: 'knowledge.update', knowledgeId: 'k', changes: { content: 'c' } }),
    ).toEqual(['content']);
    expect(
      touchedFields({
        kind: 'agent.tone.update',
        tone: { preset: 'playful', custom_instruction: null },
      }),
    ).toEqual(['tone_of_voice']);
  });
});

describe('baselineFieldsFor', () => {
  it('keeps exactly the touched attributes of a skill', () => {
    expect(baselineFieldsFor(instructionsEdit, orderStatusAttributes)).toEqual({
      instructions: orderStatusAttributes.instructions,
    });
  });

  it('takes the whole rule array for a rule add, as a copy', () => {
    const fields = baselineFieldsFor(
      { kind: 'agent.escalation-rule.add', rule: warranty },
      agentAttributes,
    );
    expect(fields).toEqual({ escalation_rules: [damaged, warranty] });
    expect(fields['escalation_rules']).not.toBe(agentAttributes.escalation_rules);
  });

  it('keeps the settable part of the tone and reads snippet text from the source', () => {
    const tone: Patch = {
      kind: 'agent.tone.update',
      tone: { preset: 'playful', custom_instruction: null },
    };
    expect(baselineFieldsFor(tone, agentAttributes)).toEqual({
      tone_of_voice: { preset: 'friendly', custom_instruction: null },
    });
    const snippet = {
      source: { source_type: 'snippet', title: 'Returns', content: '30 days.' },
      status: 'indexed',
    };
    expect(
      baselineFieldsFor(
        { kind: 'knowledge.update', knowledgeId: 'k', changes: { content: '45 days.' } },
        snippet,
      ),
    ).toEqual({ content: '30 days.' });
  });

  it('is empty for creates and null for missing fields', () => {
    const create: Patch = { kind: 'knowledge.create', snippet: { title: 'T', content: 'C' } };
    expect(baselineFieldsFor(create, {})).toEqual({});
    expect(baselineFieldsFor(instructionsEdit, {})).toEqual({ instructions: null });
  });
});

describe('proposedFields and findGuidanceIndex', () => {
  it('replaces the edited rule in place and appends an added one', () => {
    const edited = { ...damaged, description: `${damaged.description} Ask for a photo.` };
    const fields = { escalation_rules: [damaged, warranty] };
    expect(
      proposedFields(
        { kind: 'agent.escalation-rule.edit', title: 'damaged items ', rule: edited },
        fields,
      ),
    ).toEqual({
      escalation_rules: [edited, warranty],
    });
    const added = {
      title: 'Safety',
      description: 'Escalate stove or fuel safety issues.',
      status: 'enabled' as const,
    };
    expect(proposedFields({ kind: 'agent.escalation-rule.add', rule: added }, fields)).toEqual({
      escalation_rules: [damaged, warranty, added],
    });
    expect(findGuidanceIndex([damaged, warranty], 'Returns')).toBe(-1);
  });
});

describe('renderPatchDiff', () => {
  it('renders a unified diff of an edited field with readable headers', () => {
    const diff = renderPatchDiff(
      instructionsEdit,
      baseline(instructionsEdit, orderStatusAttributes, 'order-status'),
      {
        targetName: 'Order status',
      },
    );
    expect(diff).toBe(
      [
        '--- skill "Order status" · instructions (current)',
        '+++ skill "Order status" · instructions (proposed)',
        '@@ -1,3 +1,4 @@',
        ' Look up the order.',
        ' Share the tracking link.',
        '+If tracking shows no scan for 5 days, offer a replacement.',
        ' Apologize for delays.',
        '',
      ].join('\n'),
    );
  });

  it('falls back to the skill id when no name is known', () => {
    const diff = renderPatchDiff(
      instructionsEdit,
      baseline(instructionsEdit, orderStatusAttributes, 'order-status'),
    );
    expect(diff.split('\n')[0]).toBe('--- skill order-status · instructions (current)');
  });

  it('shows a create as all added, one section per field', () => {
    const create: Patch = {
      kind: 'knowledge.create',
      snippet: {
        title: 'International returns',
        content: 'Returns from Canada take {{fill: window}}.',
      },
    };
    const diff = renderPatchDiff(create, baseline(create, {}, null));
    expect(diff).toContain('--- new knowledge snippet "International returns" · content (current)');
    expect(diff).toContain('@@ -0,0 +1,1 @@\n+Returns from Canada take {{fill: window}}.\n');
    expect(diff).not.toMatch(/^-(?!--)/m);
  });

  it('shows the rule list before and after for a rule edit', () => {
    const patch: Patch = {
      kind: 'agent.escalation-rule.edit',
      title: 'Damaged items',
      rule: { ...damaged, description: `${damaged.description} Ask for a photo first.` },
    };
    const diff = renderPatchDiff(patch, {
      ...baseline(patch, agentAttributes, null),
      target: { type: 'customer-agent', id: 'agent' },
    });
    expect(diff).toContain('--- customer agent · escalation_rules (current)');
    expect(diff).toContain(' * Damaged items [enabled]');
    expect(diff).toContain(`-    ${damaged.description}`);
    expect(diff).toContain(`+    ${damaged.description} Ask for a photo first.`);
    expect(diff).toContain(' * Warranty claims [enabled]');
  });

  it('renders the tone as its settings and marks unchanged fields', () => {
    const tone: Patch = {
      kind: 'agent.tone.update',
      tone: { preset: 'friendly', custom_instruction: null },
    };
    const diff = renderPatchDiff(tone, baseline(tone, agentAttributes, 'agent'));
    expect(diff).toContain('--- customer agent · tone_of_voice (current)');
    expect(diff).toContain('(no change)');
    const custom: Patch = {
      kind: 'agent.tone.update',
      tone: { preset: 'custom', custom_instruction: 'Sound like a trail guide.' },
    };
    const changed = renderPatchDiff(custom, baseline(custom, agentAttributes, 'agent'));
    expect(changed).toContain(
      '-preset: friendly\n-custom_instruction: (none)\n+preset: custom\n+custom_instruction: Sound like a trail guide.',
    );
  });
});

describe('summarizePatch', () => {
  it.each<[Patch, string]>([
    [
      { kind: 'knowledge.create', snippet: { title: 'International returns', content: 'x' } },
      'Add knowledge snippet "International returns"',
    ],
    [instructionsEdit, 'Edit instructions of skill order-status'],
    [
      {
        kind: 'skill.update',
        skillId: 'returns',
        changes: { description: 'd', instructions: 'i', handoff: 'offer' },
      },
      'Edit description, instructions and handoff of skill returns',
    ],
    [
      {
        kind: 'skill.create',
        skill: {
          display_name: 'Warranty',
          description: 'd',
          instructions: 'i',
          handoff: 'offer',
          status: 'draft',
        },
      },
      'Add skill "Warranty" (draft)',
    ],
    [
      { kind: 'knowledge.update', knowledgeId: 'k-9', changes: { content: 'c' } },
      'Edit content of knowledge snippet k-9',
    ],
    [
      { kind: 'agent.escalation-rule.add', rule: warranty },
      'Add escalation rule "Warranty claims"',
    ],
    [
      {
        kind: 'agent.escalation-rule.edit',
        title: 'Damaged items',
        rule: { ...damaged, title: 'Damaged or defective items' },
      },
      'Edit escalation rule "Damaged items" (renamed "Damaged or defective items")',
    ],
    [
      {
        kind: 'agent.communication-style.add',
        style: { title: 'Plain words', description: 'd', status: 'enabled' },
      },
      'Add communication style "Plain words"',
    ],
    [
      { kind: 'agent.tone.update', tone: { preset: 'playful', custom_instruction: null } },
      'Set tone of voice to playful',
    ],
  ])('summarizes %# in one line', (patch, expected) => {
    expect(summarizePatch(patch)).toBe(expected);
  });
});
