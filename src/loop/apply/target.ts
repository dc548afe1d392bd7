import { isDeepStrictEqual } from 'node:util';
import type { Proposal } from '../../domain/proposal.js';
import { comparable } from '../../patches/fields.js';
import type { ApplyClient, TargetState } from '../../patches/kind.js';
import { guidanceChangeOf, kindOf } from '../../patches/kinds/index.js';
import type { Patch } from '../../patches/patch.js';
import { proposedFields, touchedFields } from '../../patches/render-diff.js';
import { guidanceStanding } from './guidance.js';

/**
 * Apply's target: read it fresh, compare it with the proposal's baseline, write the patch. No
 * state of its own: apply.ts decides, from what these return, whether and when to write. How a
 * kind is read and written is its module's (src/patches/kinds/).
 */

/**
 * Where the target stands: as drafted against, as the patch makes it, or changed otherwise. A rule
 * or style patch is judged on its one item (see guidance.ts), not on the whole list.
 */
export function classifyTarget(
  proposal: Pick<Proposal, 'patch' | 'baseline'>,
  state: TargetState,
): 'baseline' | 'proposed' | 'changed' {
  if (state.isCreate) {
    if (state.conflict !== undefined) return 'changed';
    return state.resourceId === null ? 'baseline' : 'proposed';
  }
  const { patch, baseline } = proposal;
  const change = guidanceChangeOf(patch);
  if (change !== null) return guidanceStanding(change, baseline.fields, state.fields).where;
  const drafted = Object.fromEntries(
    touchedFields(patch).map((f) => [f, baseline.fields[f] ?? null]),
  );
  if (isDeepStrictEqual(state.fields, comparable(drafted))) return 'baseline';
  const proposed = comparable(proposedFields(patch, baseline.fields));
  return isDeepStrictEqual(state.fields, proposed) ? 'proposed' : 'changed';
}

/** Reads the target fresh (a GET, or a listing for creates). */
export async function readTarget(
  client: ApplyClient,
  proposal: Pick<Proposal, 'patch'>,
): Promise<TargetState> {
  const { patch } = proposal;
  return kindOf(patch).read(client, patch);
}

/**
 * Writes the patch; returns the id of the written resource. Skill and snippet updates are sparse
 * PATCHes of the changed fields; a rule or style change writes the whole list, because the API
 * replaces it whole: the list as just read (`state`) with the patch's one item added or replaced,
 * so other items, changed since the draft by others, are kept as they are now.
 */
export async function writeTarget(
  client: ApplyClient,
  patch: Patch,
  state: TargetState,
): Promise<string> {
  return kindOf(patch).write(client, patch, state);
}
