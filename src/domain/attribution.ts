import { DAY_MS } from '../time.js';
import type { Attribution, Proposal } from './proposal.js';

/**
 * One change per target per attribution window. An applied proposal's window is open from its
 * apply until its impact check runs (`IMPACT_CHECK_AFTER_DAYS` later): a second change to the
 * same target inside it would blur what moved the numbers. So an approved proposal whose target
 * is inside another's open window waits behind it (apply holds it, src/loop/apply/attribution.ts),
 * unless an approver applies it anyway; then both proposals record that their attribution is
 * shared and their impact checks say so.
 */

/** Days after an apply when its impact check runs; the attribution window closes then. */
export const IMPACT_CHECK_AFTER_DAYS = 7;

/** What one apply attempt writes to: an account's resource, or the creates of a resource type. */
export function targetOf(proposal: Pick<Proposal, 'accountId' | 'baseline'>): string {
  const { type, id } = proposal.baseline.target;
  return `${proposal.accountId}:${type}:${id ?? 'new'}`;
}

/** An open attribution window: the applied proposal holding it, and when it closes. */
export interface OpenWindow {
  proposalId: string;
  /** ISO time of the holder's impact check. */
  until: string;
}

type Windowed = Pick<Proposal, 'id' | 'status' | 'accountId' | 'baseline' | 'result'>;

/** When the applied proposal's attribution window closes (its impact check), or null. */
export function windowCloses(proposal: Pick<Proposal, 'status' | 'result'>): Date | null {
  const appliedAt = Date.parse(proposal.result.appliedAt ?? '');
  if (proposal.status !== 'applied' || Number.isNaN(appliedAt)) return null;
  return new Date(appliedAt + IMPACT_CHECK_AFTER_DAYS * DAY_MS);
}

/**
 * The windows of `others` open at `now` on `proposal`'s target, latest closing last. A create
 * changes no existing resource, so it neither holds nor waits. A revert never waits: it undoes a
 * change a person decided against, often a regression, which must not stay live for a week.
 */
export function openWindowsOn(
  proposal: Pick<Proposal, 'id' | 'accountId' | 'baseline' | 'revertOf'>,
  others: readonly Windowed[],
  now: Date,
): OpenWindow[] {
  if (proposal.baseline.target.id === null || proposal.revertOf !== null) return [];
  const target = targetOf(proposal);
  return others
    .flatMap((other) => {
      const closes = windowCloses(other);
      const open =
        other.id !== proposal.id &&
        targetOf(other) === target &&
        closes !== null &&
        closes.getTime() > now.getTime();
      return open ? [{ proposalId: other.id, until: closes.toISOString() }] : [];
    })
    .sort((a, b) => a.until.localeCompare(b.until));
}

/**
 * `change` merged into `current`: fields replaced, `sharedWith` added to (a store applies it to
 * the proposal it just read, inside its compare-and-set, so concurrent additions are all kept).
 */
export function mergeAttribution(current: Attribution, change: Attribution): Attribution {
  const shared = [...new Set([...(current.sharedWith ?? []), ...(change.sharedWith ?? [])])];
  return { ...current, ...change, ...(shared.length === 0 ? {} : { sharedWith: shared }) };
}

/** Approved and held behind another change's open attribution window (until an override). */
export function isWaiting(proposal: Pick<Proposal, 'status' | 'attribution'>): boolean {
  const { waitingBehind, applyAnyway } = proposal.attribution;
  return proposal.status === 'approved' && waitingBehind !== undefined && applyAnyway === undefined;
}

/** The attribution of `proposal` in sentences for people (CLI, web page, Slack). */
export function describeAttribution(
  proposal: Pick<Proposal, 'status' | 'attribution' | 'baseline'>,
): string[] {
  const { waitingBehind, applyAnyway, sharedWith = [] } = proposal.attribution;
  const target = proposal.baseline.target.type.replace(/^agent-/, '').replace(/-/g, ' ');
  const lines: string[] = [];
  if (waitingBehind !== undefined && isWaiting(proposal)) {
    lines.push(
      `Waiting behind ${waitingBehind.proposalId} until ${waitingBehind.until}: it changed the same ${target} and its impact check is still open; this change is applied when that check has run (or when an approver applies it anyway).`,
    );
  }
  if (applyAnyway !== undefined) {
    lines.push(
      `Apply anyway: chosen by ${applyAnyway.actor}; not held behind another change to the same ${target}.`,
    );
  }
  if (sharedWith.length > 0) {
    lines.push(
      `Attribution shared with ${sharedWith.join(', ')}: changed the same ${target} within the same impact window, so neither impact check measures one change alone.`,
    );
  }
  return lines;
}
