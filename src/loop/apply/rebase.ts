import { isDeepStrictEqual } from 'node:util';
import type { Proposal } from '../../domain/proposal.js';
import { comparable } from '../../patches/fields.js';
import type { TargetState } from '../../patches/kind.js';
import { kindOf } from '../../patches/kinds/index.js';
import type { Patch } from '../../patches/patch.js';
import { proposedFields, touchedFields } from '../../patches/render-diff.js';

/**
 * Applying on top of a text changed since the draft. When two proposals (or a proposal and a
 * person) change the same skill or snippet text, the one applied second finds the text changed.
 * Its change still applies cleanly when it only APPENDS LINES to the drafted text and the text now
 * still begins with the drafted text followed by a line break (the others appended lines too):
 * its lines are appended to the text as it is now, and nothing of the other change is lost.
 * Anything else (a line edited, text removed, a same-line append) is a conflict. Rule and style
 * lists are merged per item instead (guidance.ts); the tone is one value, never merged.
 */

/** The lines a change appends to `drafted` (starting with the line break), or null. */
function appendedLines(drafted: unknown, proposed: unknown): string | null {
  if (typeof drafted !== 'string' || typeof proposed !== 'string') return null;
  if (drafted === '' || !proposed.startsWith(drafted)) return null;
  const added = proposed.slice(drafted.length);
  return added.startsWith('\n') && added.trim() !== '' ? added : null;
}

export type Rebase =
  /** The appended lines are in place already (a write that landed, or someone added the same). */
  | { where: 'proposed' }
  /** The patch that appends the lines to the text as read now. */
  | {
      where: 'rebased';
      patch: Patch;
      before: Record<string, unknown>;
      after: Record<string, unknown>;
    }
  | { where: 'conflict' };

/**
 * Where a patch stands against a target that matches neither its baseline nor its values (what
 * `classifyTarget` calls `changed`): its appended lines are there, or they can go on top, or not.
 */
export function rebaseOnto(
  proposal: Pick<Proposal, 'patch' | 'baseline'>,
  state: TargetState,
): Rebase {
  const { patch, baseline } = proposal;
  const rebased = kindOf(patch).rebased;
  if (rebased === null || state.isCreate) return { where: 'conflict' };
  const drafted = comparable(baseline.fields);
  const proposed = comparable(proposedFields(patch, baseline.fields));
  const values: Record<string, string> = {};
  let inPlace = 0;
  const fields = touchedFields(patch);
  for (const field of fields) {
    const now = state.fields[field] ?? null;
    const want = proposed[field] ?? null;
    const added = appendedLines(drafted[field], want);
    if (isDeepStrictEqual(now, want) || (added !== null && String(now).includes(added))) {
      inPlace += 1;
    } else if (isDeepStrictEqual(now, drafted[field] ?? null) && typeof want === 'string') {
      values[field] = want;
    } else if (added !== null && typeof now === 'string' && continues(now, drafted[field])) {
      values[field] = `${now}${added}`;
    } else {
      return { where: 'conflict' };
    }
  }
  if (inPlace === fields.length) return { where: 'proposed' };
  try {
    const next = rebased(patch, values);
    return { where: 'rebased', patch: next, before: state.fields, after: proposedFields(next, {}) };
  } catch {
    // The text with both changes is too long for a valid patch: that is a conflict too.
    return { where: 'conflict' };
  }
}

/** Whether `now` is `drafted` with lines appended. */
function continues(now: string, drafted: unknown): boolean {
  return typeof drafted === 'string' && now.startsWith(`${drafted}\n`);
}
