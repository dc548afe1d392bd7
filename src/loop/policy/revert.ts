import { kindOf } from '../../patches/kinds/index.js';
import type { Patch } from '../../patches/patch.js';
import { violation } from './fields.js';
import type { PolicyContext, PolicyRule, PolicyViolation } from './policy.js';

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
  // Whether a patch puts back exactly the audited values is its kind's to say.
  const mismatch = kindOf(patch).restores(patch, restores, context.current);
  if (mismatch === null) return violations.filter((v) => !REVERT_EXEMPT.has(v.rule));
  return [...violations, violation('revert_mismatch', mismatch)];
}
