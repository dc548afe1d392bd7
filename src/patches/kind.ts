import type { AgentConfigView } from './agent-config.js';
import type { KlaviyoClient } from '../klaviyo/index.js';
import type { GuidanceChange, GuidanceItem } from './guidance-list.js';
import type { Baseline, Patch, PatchKind, PatchOf } from './patch.js';

/**
 * What a patch kind is: one module under src/patches/kinds/ per kind, each declaring its schema
 * and the members below, collected in the `PATCH_KINDS` table (kinds/index.ts). Every place that
 * treats kinds differently asks the table; nothing switches on `patch.kind`. The members are what
 * the stages need of a kind, and no more; the policy's judgements (what a kind may not do) stay in
 * the policy stage, which keeps its own table of them.
 */

export type Fields = Readonly<Record<string, unknown>>;

/** The resource a patch writes, as read in a config view; creates have no id and no attributes. */
export interface PatchTarget {
  type: Baseline['target']['type'];
  id: string | null;
  /** The skill's or snippet's display name, for the diff's headings. */
  name: string | undefined;
  attributes: Fields;
  updatedAt: string | null;
}

/** The agent's configuration as a patch is checked against it (the policy's `current`). */
export interface CurrentConfig {
  escalationRules: GuidanceItem[];
  communicationStyles: GuidanceItem[];
  skills: {
    id: string;
    status: string;
    description: string;
    instructions: string;
    handoff: string;
  }[];
  knowledge: { id: string; title: string | null; content: string | null; url: string | null }[];
  /** The current tone of voice, when known; tone edits are then size-checked against it. */
  tone?: { preset: string; custom_instruction: string | null };
}

/** The Klaviyo resources a patch is applied with (the write key's client); kinds use a part. */
export type ApplyClient = Pick<KlaviyoClient, 'skills' | 'knowledge' | 'agent'>;

/** What apply found at a patch's target. */
export interface TargetState {
  /** The touched fields now, in comparable form; `{}` for creates. */
  fields: Record<string, unknown>;
  isCreate: boolean;
  /** Updates: the target's id. Creates: the id of an identical existing item, or null. */
  resourceId: string | null;
  /** Creates: why an existing item blocks the create (same name, other content). */
  conflict?: string;
}

/** Maps one free-text field of a patch; `field` is its dotted path, e.g. `changes.instructions`. */
export type TextMapper = (text: string, field: string) => string;

/** The patch that puts audited values back (still to be parsed), or why there is none. */
export type Inverse = { ok: true; patch: unknown } | { ok: false; reason: string };

export interface PatchKindModule<P extends Patch> {
  /** Whether the patch makes a new resource: nothing to compare before, an identical one is adopted. */
  creates: boolean;
  /** How messages name what the patch writes ("skill", "knowledge snippet", …). */
  noun: string;
  /** The resource the patch writes, looked up in `view`. */
  target: (patch: P, view: AgentConfigView) => PatchTarget;
  /** Attribute names (as the API spells them) that the patch writes, in a stable order. */
  touchedFields: (patch: P) => string[];
  /**
   * The current values of the touched fields, read from the target's attributes as the API
   * returns them; `{}` for creates; missing fields are `null`. This is what a baseline records.
   */
  baselineFields: (patch: P, attributes: Fields) => Record<string, unknown>;
  /** The values the touched fields will have once the patch is applied to `fields`. */
  proposedFields: (patch: P, fields: Fields) => Record<string, unknown>;
  /** What the patch writes, as the diff's headings name it; `name` is the target's display name. */
  label: (patch: P, baseline: Baseline, name: string | undefined) => string;
  /** One line that says what the patch does. */
  summary: (patch: P) => string;
  /**
   * A copy with every free-text field passed through `map` (the fields the policy scrubs and
   * checks, and placeholders live in). Ids, the title an edit targets and enums are not passed.
   */
  mapText: (patch: P, map: TextMapper) => P;
  /** The current text of each free-text field that edits an existing text (by dotted path). */
  originalTexts: (patch: P, current: CurrentConfig) => Record<string, string | null>;
  /** Rule and style kinds: the one list item the patch changes. Other kinds: null. */
  guidance: ((patch: P) => GuidanceChange) | null;
  /**
   * The patch writing `values` (touched text fields, by API name) instead of its own: apply's way
   * to put appended lines on top of a text changed since the draft (src/loop/apply/rebase.ts).
   * Throws when the result is not a valid patch (too long). Null for kinds never rebased.
   */
  rebased: ((patch: P, values: Readonly<Record<string, string>>) => P) | null;
  /** Reads the target fresh (a GET, or a listing for creates). */
  read: (client: ApplyClient, patch: P) => Promise<TargetState>;
  /** Writes the patch on top of `state` (the target as just read); returns the resource's id. */
  write: (client: ApplyClient, patch: P, state: TargetState) => Promise<string>;
  /**
   * The patch that puts back `before` (the touched fields as audited before the patch was
   * applied), given the config now. Null for creates: undoing one takes a delete.
   */
  invert: ((patch: P, before: Fields, current: CurrentConfig) => Inverse) | null;
  /** Why the patch does not restore exactly `before`, or null when it does (a revert's check). */
  restores: (patch: P, before: Fields, current: CurrentConfig) => string | null;
}

/** One module per kind of the union: a missing kind, or a module missing a member, fails to compile. */
export type PatchKindTable = { [K in PatchKind]: PatchKindModule<PatchOf<K>> };
