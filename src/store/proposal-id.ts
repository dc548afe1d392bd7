import { createHash } from 'node:crypto';
import type { Baseline, Patch } from '../patches/patch.js';

/**
 * A deterministic proposal id from what makes a proposal the same one: the account, the patch
 * and the baseline's target and field values (not when it was read). Re-running synthesis on the
 * same window re-creates the same id, which `create` turns into a no-op.
 */
export function proposalIdFrom(
  accountId: string,
  patch: Patch,
  baseline: Pick<Baseline, 'target' | 'fields'>,
): string {
  const { target, fields } = baseline;
  const hash = createHash('sha256')
    .update(canonicalJson({ accountId, patch, baseline: { target, fields } }))
    .digest('hex');
  return `p_${hash.slice(0, 20)}`;
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries);
  });
}
