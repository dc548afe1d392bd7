import { describe, expect, it } from 'vitest';
import type { GuidanceItem } from '../../../src/patches/guidance-list.js';
import type { PatchKindModule, PatchKindTable } from '../../../src/patches/kind.js';
import { guidanceChangeOf, kindOf, PATCH_KINDS } from '../../../src/patches/kinds/index.js';
import { knowledgeUpdate } from '../../../src/patches/kinds/knowledge-update.js';
import { skillUpdate } from '../../../src/patches/kinds/skill-update.js';
import { toneUpdate } from '../../../src/patches/kinds/tone-update.js';
import {
  PATCH_KIND_NAMES,
  PatchSchema,
  type Patch,
  type PatchKind,
  type PatchOf,
} from '../../../src/patches/patch.js';

/**
 * The table of patch kinds: one module per kind of the `Patch` union, each with every member.
 * The type tests below are checked by `npm run typecheck` (tsc covers test/): each
 * `@ts-expect-error` fails the typecheck if the line under it ever compiles.
 */

const item: GuidanceItem = {
  title: 'Damaged items',
  description: 'Escalate damaged gear.',
  status: 'enabled',
};

/** One patch of every kind (typed per kind, so a new kind needs a sample here too). */
const SAMPLES: { [K in PatchKind]: PatchOf<K> } = {
  'skill.update': { kind: 'skill.update', skillId: 'sk_1', changes: { instructions: 'Look up.' } },
  'skill.create': {
    kind: 'skill.create',
    skill: {
      display_name: 'Returns',
      description: 'Handles returns.',
      instructions: 'Explain the steps.',
      handoff: 'offer',
      status: 'draft',
    },
  },
  'knowledge.create': {
    kind: 'knowledge.create',
    snippet: { title: 'Returns', content: '30 days.' },
  },
  'knowledge.update': { kind: 'knowledge.update', knowledgeId: 'kn_1', changes: { content: 'x' } },
  'agent.escalation-rule.add': { kind: 'agent.escalation-rule.add', rule: { ...item } },
  'agent.escalation-rule.edit': {
    kind: 'agent.escalation-rule.edit',
    title: 'Damaged items',
    rule: { ...item },
  },
  'agent.communication-style.add': {
    kind: 'agent.communication-style.add',
    style: { ...item },
  },
  'agent.communication-style.edit': {
    kind: 'agent.communication-style.edit',
    title: 'Damaged items',
    style: { ...item },
  },
  'agent.tone.update': {
    kind: 'agent.tone.update',
    tone: { preset: 'custom', custom_instruction: 'Warm and brief.' },
  },
};

/** Every member of a module; the type below fails to compile if the interface gains one. */
const MEMBERS = [
  'creates',
  'noun',
  'target',
  'touchedFields',
  'baselineFields',
  'proposedFields',
  'label',
  'summary',
  'mapText',
  'originalTexts',
  'guidance',
  'rebased',
  'read',
  'write',
  'invert',
  'restores',
] as const;
type Unlisted = Exclude<keyof PatchKindModule<Patch>, (typeof MEMBERS)[number]>;
const everyMemberListed: [Unlisted] extends [never] ? true : false = true;

describe('PATCH_KINDS', () => {
  it('has one module for every kind of the Patch union, and no other', () => {
    const schemaKinds = PatchSchema.options.map((o) => o.shape.kind.value);
    expect(Object.keys(PATCH_KINDS).sort()).toEqual([...schemaKinds].sort());
    expect(Object.keys(PATCH_KINDS).sort()).toEqual([...PATCH_KIND_NAMES].sort());
    expect(Object.keys(SAMPLES).sort()).toEqual([...PATCH_KIND_NAMES].sort());
  });

  it('gives every module every member', () => {
    expect(everyMemberListed).toBe(true);
    for (const module of Object.values(PATCH_KINDS)) {
      expect(Object.keys(module).sort()).toEqual([...MEMBERS].sort());
    }
  });

  it.each(PATCH_KIND_NAMES)('%s: the sample parses and its module describes it', (kind) => {
    const patch: Patch = PatchSchema.parse(SAMPLES[kind]);
    const module = kindOf(patch);
    expect(module).toBe(PATCH_KINDS[kind]);
    expect(module.touchedFields(patch).length).toBeGreaterThan(0);
    expect(module.summary(patch)).not.toBe('');
    expect(module.mapText(patch, (text) => text)).toEqual(patch);
  });

  it('declares which kinds create, which change one guidance item, and which cannot be undone', () => {
    const where = (test: (m: PatchKindModule<Patch>, p: Patch) => boolean): string[] =>
      PATCH_KIND_NAMES.filter((k) => test(kindOf(SAMPLES[k] as Patch), SAMPLES[k]));
    expect(where((m) => m.creates)).toEqual(['skill.create', 'knowledge.create']);
    expect(where((m) => m.invert === null)).toEqual(['skill.create', 'knowledge.create']);
    expect(where((_m, p) => guidanceChangeOf(p) !== null)).toEqual([
      'agent.escalation-rule.add',
      'agent.escalation-rule.edit',
      'agent.communication-style.add',
      'agent.communication-style.edit',
    ]);
    expect(guidanceChangeOf(SAMPLES['agent.communication-style.edit'])).toEqual({
      list: expect.objectContaining({ field: 'communication_styles', key: 'style' }),
      item,
      edited: 'Damaged items',
    });
  });
});

describe('PatchKindTable (type tests, checked by tsc)', () => {
  it('refuses a table that misses a kind of the union', () => {
    const { 'agent.tone.update': _tone, ...withoutTone } = PATCH_KINDS;
    // @ts-expect-error agent.tone.update is a kind of the union without a module
    const _incomplete: PatchKindTable = withoutTone;
    expect(Object.keys(withoutTone)).not.toContain('agent.tone.update');
  });

  it('refuses a union kind that the table does not have', () => {
    type WiderKind = PatchKind | 'skill.delete';
    // @ts-expect-error a kind added to the union (here skill.delete) needs a module in the table
    const _wider: { [K in WiderKind]: unknown } = PATCH_KINDS;
    expect(PATCH_KINDS).not.toHaveProperty('skill.delete');
  });

  it('refuses a module that misses a member, or is of another kind', () => {
    const { restores: _restores, ...noRestores } = toneUpdate;
    // @ts-expect-error a module without `restores`
    const _missing: PatchKindTable = { ...PATCH_KINDS, 'agent.tone.update': noRestores };
    // @ts-expect-error the knowledge.update module for skill.update patches
    const _swapped: PatchKindTable = { ...PATCH_KINDS, 'skill.update': knowledgeUpdate };
    // @ts-expect-error a module of no kind of the union
    const _extra = { ...PATCH_KINDS, 'skill.delete': skillUpdate } satisfies PatchKindTable;
    expect(Object.keys(noRestores)).not.toContain('restores');
  });
});
