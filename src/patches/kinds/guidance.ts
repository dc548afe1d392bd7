import { isDeepStrictEqual } from 'node:util';
import type { AgentResource } from '../../klaviyo/index.js';
import {
  findGuidance,
  guidanceItem,
  guidanceItems,
  guidanceList,
  withGuidance,
  writtenList,
  type GuidanceChange,
  type GuidanceItem,
  type GuidanceList,
} from '../guidance-list.js';
import type { Inverse, PatchKindModule } from '../kind.js';
import type { Patch } from '../patch.js';
import { agentTarget, pickFields, REVERT_ONLY, restoresNothing, updateState } from './shared.js';

/**
 * What the four rule and style kinds share (`agent.escalation-rule.add`/`.edit`,
 * `agent.communication-style.add`/`.edit`): each changes ONE item of a customer agent's guidance
 * list, which the API takes whole. Adds are undone by disabling the added item (no kind removes
 * one), edits by putting the audited item back; both inverses are edits.
 */

/** How one rule or style kind holds its item. */
export interface GuidanceKindSpec<P extends Patch> {
  list: GuidanceList;
  /** The item as the patch makes it. */
  item: (patch: P) => GuidanceItem;
  /** Edits: the title of the item replaced. Adds: undefined. */
  edited: (patch: P) => string | undefined;
  /** The patch with `item` in place of its item. */
  withItem: (patch: P, item: GuidanceItem) => P;
  /** The edit of this list that puts `item` in place of the item titled `title`. */
  edit: (title: string, item: GuidanceItem) => Patch;
}

function summary(noun: string, item: GuidanceItem, title: string | undefined): string {
  if (title === undefined) return `Add ${noun} "${item.title}"`;
  const renamed = item.title === title ? '' : ` (renamed "${item.title}")`;
  return `Edit ${noun} "${title}"${renamed}`;
}

/** The inverse of an add (disable the added item) or an edit (put back the audited item). */
function invert(
  change: GuidanceChange,
  current: readonly GuidanceItem[],
  audited: unknown,
  edit: GuidanceKindSpec<Patch>['edit'],
): Inverse {
  const { list, item, edited } = change;
  const { noun } = list;
  const now = findGuidance(current, item.title);
  if (now === undefined) {
    return {
      ok: false,
      reason: `The ${noun} "${item.title}" is no longer in the config; there is nothing to revert.`,
    };
  }
  if (edited === undefined) {
    if (now.status === 'disabled') {
      return { ok: false, reason: `The ${noun} "${item.title}" is already disabled.` };
    }
    return { ok: true, patch: edit(now.title, { ...now, status: 'disabled' }) };
  }
  const old = findGuidance(guidanceItems(audited), edited);
  if (old === undefined) {
    return { ok: false, reason: `The audit log has no ${noun} "${edited}" to restore.` };
  }
  return { ok: true, patch: edit(now.title, old) };
}

/**
 * Why an edit does not restore the audited list, or null when it does: it puts back the audited
 * item of that title in place of the current one (which is not an untouched audited item), or —
 * for an item the reverted change added, while patches cannot remove items — it only disables
 * that item.
 */
function restoreMismatch(
  change: GuidanceChange & { edited: string },
  current: readonly GuidanceItem[],
  audited: unknown,
): string | null {
  const { list, item: next, edited: title } = change;
  const { noun } = list;
  if (!Array.isArray(audited)) return `No audited list of ${noun}s to restore; ${REVERT_ONLY}.`;
  const before = guidanceItems(audited);
  const replaced = findGuidance(current, title);
  if (replaced === undefined) return `The ${noun} "${title}" does not exist any more.`;
  const restored = findGuidance(before, next.title);
  const replacedBefore = findGuidance(before, replaced.title);
  if (restored !== undefined) {
    const replacesUntouched =
      replacedBefore !== undefined &&
      replacedBefore !== restored &&
      isDeepStrictEqual(replacedBefore, guidanceItem(replaced));
    if (isDeepStrictEqual(guidanceItem(next), restored) && !replacesUntouched) return null;
    return `The revert does not put back the ${noun} "${next.title}" as audited; ${REVERT_ONLY}.`;
  }
  const disablesAdded =
    replacedBefore === undefined &&
    next.status === 'disabled' &&
    next.title === replaced.title &&
    next.description === replaced.description;
  return disablesAdded
    ? null
    : `The revert changes the ${noun} "${replaced.title}" in a way the audited change does not undo; ${REVERT_ONLY}.`;
}

/** The module of one rule or style kind. */
export function guidanceKind<P extends Patch>(spec: GuidanceKindSpec<P>): PatchKindModule<P> {
  const { list } = spec;
  const change = (patch: P): GuidanceChange => ({
    list,
    item: spec.item(patch),
    edited: spec.edited(patch),
  });
  return {
    creates: false,
    noun: list.noun,
    target: (_patch, view) => agentTarget(view),
    touchedFields: () => [list.field],
    baselineFields: (_patch, attributes) => pickFields(attributes, [list.field]),
    proposedFields: (patch, fields) => ({
      [list.field]: withGuidance(
        guidanceList(fields[list.field]),
        spec.item(patch),
        spec.edited(patch),
      ),
    }),
    label: () => 'customer agent',
    summary: (patch) => summary(list.noun, spec.item(patch), spec.edited(patch)),
    mapText(patch, map) {
      const item = spec.item(patch);
      const title = map(item.title, `${list.key}.title`);
      const description = map(item.description, `${list.key}.description`);
      return spec.withItem(patch, { ...item, title, description });
    },
    originalTexts(patch, current) {
      const edited = spec.edited(patch);
      if (edited === undefined) return {};
      const old = findGuidance(current[list.view], edited);
      return {
        [`${list.key}.title`]: old?.title ?? null,
        [`${list.key}.description`]: old?.description ?? null,
      };
    },
    guidance: change,
    rebased: null,
    async read(client: { agent: Pick<AgentResource, 'get'> }) {
      const agent = await client.agent.get();
      return updateState(pickFields(agent.attributes, [list.field]), agent.id);
    },
    write: async (client: { agent: Pick<AgentResource, 'update'> }, patch, state) =>
      (await client.agent.update(writtenList(change(patch), state.fields))).id,
    invert: (patch, before, current) =>
      invert(change(patch), current[list.view], before[list.field], spec.edit),
    restores(patch, before, current) {
      const { item, edited } = change(patch);
      if (edited === undefined) return restoresNothing(patch.kind);
      return restoreMismatch({ list, item, edited }, current[list.view], before[list.field]);
    },
  };
}
