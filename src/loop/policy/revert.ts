import { isDeepStrictEqual } from 'node:util';
import type { GuidanceItem, Patch } from '../../patches/patch.js';
import { violation } from './fields.js';
import type { PolicyContext, PolicyRule, PolicyViolation } from './policy.js';
import { findGuidanceIndex } from '../../patches/render-diff.js';

/**
 * The revert rule: a patch that restores exactly the audited before-state of an applied proposal
 * passes the rules that keep existing config from being weakened; any other patch is refused.
 */

/**
 * Rules a restore of the audited before-state may break: that state was the store's own config
 * until the reverted change, so bringing it back weakens or rewrites nothing the store had.
 * Schema, kinds, unknown targets and personal data still apply.
 */
const REVERT_EXEMPT: ReadonlySet<PolicyRule> = new Set<PolicyRule>([
  'escalation_rule_removed',
  'communication_style_removed',
  'skill_disable',
  'handoff_weakened',
  'size_limit',
  'unknown_url',
  'injection',
]);

/**
 * The violations of a revert: the exempt rules dropped when `patch` restores exactly `restores`,
 * else all of them plus `revert_mismatch`.
 */
export function revertViolations(
  patch: Patch,
  context: PolicyContext,
  restores: Record<string, unknown>,
  violations: PolicyViolation[],
): PolicyViolation[] {
  const mismatch = restoreMismatch(patch, context, restores);
  if (mismatch === null) return violations.filter((v) => !REVERT_EXEMPT.has(v.rule));
  return [...violations, violation('revert_mismatch', mismatch)];
}

const REVERT_ONLY = 'a revert restores exactly the values audited before the change, nothing else';

/** Why `patch` is not exactly a restore of `restores`, or null when it is. */
function restoreMismatch(
  patch: Patch,
  context: PolicyContext,
  restores: Record<string, unknown>,
): string | null {
  switch (patch.kind) {
    case 'skill.update':
    case 'knowledge.update':
      return sameFieldsMismatch(patch.changes, restores);
    case 'agent.tone.update':
      return sameFieldsMismatch(
        { tone_of_voice: patch.tone },
        { tone_of_voice: pickTone(restores['tone_of_voice']) },
      );
    case 'agent.escalation-rule.edit':
      return guidanceRestoreMismatch(
        'escalation rule',
        context.current.escalationRules,
        restores['escalation_rules'],
        patch.title,
        patch.rule,
      );
    case 'agent.communication-style.edit':
      return guidanceRestoreMismatch(
        'communication style',
        context.current.communicationStyles,
        restores['communication_styles'],
        patch.title,
        patch.style,
      );
    default:
      return `A ${patch.kind} patch cannot restore an earlier state; ${REVERT_ONLY}.`;
  }
}

function sameFieldsMismatch(
  changes: Record<string, unknown>,
  restores: Record<string, unknown>,
): string | null {
  const fields = Object.keys(changes).filter((k) => changes[k] !== undefined);
  const expected = Object.keys(restores);
  const extra = fields.filter((f) => !expected.includes(f));
  const missing = expected.filter((f) => !fields.includes(f));
  if (extra.length > 0 || missing.length > 0) {
    return `The revert changes ${fields.join(', ') || 'nothing'} but the audited change touched ${expected.join(', ') || 'nothing'}; ${REVERT_ONLY}.`;
  }
  const differs = fields.find((f) => !isDeepStrictEqual(changes[f], restores[f]));
  return differs === undefined
    ? null
    : `The revert sets ${differs} to a value other than the one audited before the change; ${REVERT_ONLY}.`;
}

function pickTone(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const tone = value as Record<string, unknown>;
  return { preset: tone['preset'] ?? null, custom_instruction: tone['custom_instruction'] ?? null };
}

function guidanceItems(value: unknown): GuidanceItem[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((item: unknown) => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    return {
      title: String(record['title'] ?? ''),
      description: String(record['description'] ?? ''),
      status: record['status'] === 'disabled' ? 'disabled' : 'enabled',
    };
  });
}

/**
 * An edit restores a guidance item when it puts back the audited item of that title in place of
 * the current one (which is not an untouched audited item), or — for an item the reverted change
 * added, while patches cannot remove items — when it only disables that item.
 */
function guidanceRestoreMismatch(
  noun: string,
  current: readonly GuidanceItem[],
  audited: unknown,
  title: string,
  next: GuidanceItem,
): string | null {
  const before = guidanceItems(audited);
  if (before === null) return `No audited list of ${noun}s to restore; ${REVERT_ONLY}.`;
  const replaced = current[findGuidanceIndex(current, title)];
  if (replaced === undefined) return `The ${noun} "${title}" does not exist any more.`;
  const restored = before[findGuidanceIndex(before, next.title)];
  const replacedBefore = before[findGuidanceIndex(before, replaced.title)];
  if (restored !== undefined) {
    const replacesUntouched =
      replacedBefore !== undefined &&
      replacedBefore !== restored &&
      isDeepStrictEqual(replacedBefore, guidanceItems([replaced])?.[0]);
    if (isDeepStrictEqual(guidanceItems([next])?.[0], restored) && !replacesUntouched) return null;
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
