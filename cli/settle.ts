import type { App } from '../src/app.js';
import type { Proposal } from '../src/domain/proposal.js';
import { isWaiting } from '../src/domain/attribution.js';

/**
 * A proposal with nothing more to happen right now: decided against, failed, applied and
 * replayed, or approved and waiting behind another change's attribution window (for days).
 */
export function hasSettled(proposal: Proposal, options: SettleOptions = {}): boolean {
  const checked =
    proposal.result.replay !== undefined &&
    (!options.regressionChecked || proposal.result.regression !== undefined);
  return (
    ['conflict', 'failed', 'rejected', 'reverted'].includes(proposal.status) ||
    (proposal.status === 'applied' && checked) ||
    isWaiting(proposal)
  );
}

export interface SettleOptions {
  /** An applied proposal settles only once its regression check ran too (after its replay). */
  regressionChecked?: boolean;
}

/**
 * Polls until every proposal has settled (apply and verify run in the workers) or the time is up;
 * returns the proposals as last read and whether they all settled.
 */
export async function waitUntilSettled(
  app: App,
  ids: readonly string[],
  timeoutMs: number,
  options: SettleOptions = {},
): Promise<{ proposals: Proposal[]; settled: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await Promise.all(ids.map((id) => app.deps.stores.proposals.get(id)));
    const proposals = all.filter((p): p is Proposal => p !== null);
    const settled =
      proposals.length === ids.length && proposals.every((p) => hasSettled(p, options));
    if (settled || Date.now() > deadline) return { proposals, settled };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
