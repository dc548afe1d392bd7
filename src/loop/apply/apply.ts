import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import { KlaviyoApiError } from '../../klaviyo/index.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { TargetLease, WriteIntent, WriteIntentStore } from '../../store/apply-lock.js';
import { ProposalNotFoundError, ProposalStateError } from '../../store/proposal-errors.js';
import type { ProposalStore } from '../../store/proposals.js';
import {
  finishApplied,
  finishConflict,
  finishFailed,
  finishUnknown,
  settledOutcome,
  type Run,
} from './finish.js';
import { ApplyStoppedError, holdTarget, type LeaseStore } from './lease.js';
import { rebaseOnto } from './rebase.js';
import { holdBehindOpenWindow } from './attribution.js';
import { write } from './write.js';
import { guidanceInPlace, type AuditLists } from './guidance.js';
import { classifyTarget, readTarget } from './target.js';
import { placeholdersInPatch } from '../../domain/placeholders.js';
import type { Proposal } from '../../domain/proposal.js';
import type { ApplyClient, TargetState } from '../../patches/kind.js';
import { guidanceChangeOf } from '../../patches/kinds/index.js';

export { classifyTarget, readTarget, writeTarget } from './target.js';
export { ApplyStoppedError } from './lease.js';
// The target is also what attribution windows are kept per (src/domain/attribution.ts).
export { targetOf } from '../../domain/attribution.js';
export type { ApplyClient, TargetState } from '../../patches/kind.js';

/**
 * Apply: the one place a proposal's patch is written to Klaviyo, on top of the target leases and
 * write intents of src/store/apply-lock.ts (read its header). One attempt at a time per target
 * across every process, at most one write per proposal even when a worker is killed or stalls at
 * any point or BullMQ delivers the job twice at once; no result is lost, because a retry re-reads
 * the target and finishes from what it finds. A proposal whose text was changed since the draft
 * is applied on top when its change only appends lines (rebase.ts), else it ends `conflict`.
 * Every outcome is one compare-and-set transition of the proposal, which writes the audit entry
 * (before, after, who approved).
 */

/** `waiting`: held behind another change's open attribution window (see attribution.ts). */
export type ApplyOutcome = 'applied' | 'conflict' | 'failed' | 'already-applied' | 'waiting';

/** Points where tests simulate a worker being killed. */
export interface ApplyHooks {
  /** Right after the write returned, before it is recorded anywhere. */
  afterWrite?: () => void | Promise<void>;
  /** After the intent is marked landed, before the proposal moves to `applied`. */
  afterLanded?: () => void | Promise<void>;
}

type IntentStore = Pick<
  WriteIntentStore,
  'claim' | 'takeOver' | 'checkBeforeWrite' | 'markLanded' | 'release'
>;

export interface ApplyInput {
  proposalId: string;
  client: ApplyClient;
  stores: {
    proposals: Pick<ProposalStore, 'get' | 'transition' | 'recordOnApplied' | 'list'>;
    writeIntents: IntentStore & LeaseStore;
  };
  /**
   * The account the job was enqueued for: an apply whose proposal belongs to another account is
   * refused before anything is read or written (its client holds that other account's key).
   */
  accountId?: string;
  /** Recorded on the apply's transitions. @defaultValue 'system' */
  actor?: string;
  /** Who holds the target lease: the apply job's id. @defaultValue a random id */
  owner?: string;
  /** How long the target lease lasts unless renewed (every third of it). @defaultValue 30 000 */
  leaseMs?: number;
  /** The job's signal: once aborted, the attempt stops before its next change. */
  signal?: AbortSignal;
  logger?: Logger;
  now?: () => Date;
  hooks?: ApplyHooks;
}

/**
 * Applies an approved proposal. Returns the outcome; `already-applied` when an earlier call
 * finished it. Throws ProposalStateError for a proposal that was never approved, a non-retryable
 * `account_mismatch` for a proposal of another account than `accountId`, and rethrows retryable
 * errors (network, 5xx, 429, a target held by another attempt, an attempt stopped) for the job to
 * retry.
 */
export async function applyProposal(input: ApplyInput): Promise<ApplyOutcome> {
  const log = (input.logger ?? silentLogger).child({ proposalId: input.proposalId });
  const proposal = await input.stores.proposals.get(input.proposalId);
  if (proposal === null) throw new ProposalNotFoundError(input.proposalId);
  if (input.accountId !== undefined && input.accountId !== proposal.accountId) {
    throw new AppError(
      `Refused to apply proposal ${proposal.id} for account "${input.accountId}": it belongs to account "${proposal.accountId}". Nothing was read or written; approve it again to queue a correct apply.`,
      { code: 'account_mismatch', retryable: false },
    );
  }
  const run: Run = {
    input,
    proposal,
    actor: input.actor ?? 'system',
    log,
    now: input.now ?? (() => new Date()),
    // Nothing is written before the lease is held: a settled proposal only reports its outcome.
    guard: async () => undefined,
  };
  const early = await settledOutcome(run, proposal);
  if (early !== null) return early;
  const held = await holdTarget(proposal, {
    store: input.stores.writeIntents,
    owner: input.owner ?? `apply-${randomUUID()}`,
    leaseMs: input.leaseMs,
    signal: input.signal,
    log,
  });
  run.guard = held.guard;
  try {
    // Read again under the lease: another attempt may have finished it while this one waited.
    const current = await input.stores.proposals.get(proposal.id);
    if (current === null) throw new ProposalNotFoundError(proposal.id);
    run.proposal = current;
    const settled = await settledOutcome(run, current);
    if (settled !== null) return settled;
    if (current.status === 'approved') {
      if ((await holdBehindOpenWindow(run)) !== null) return 'waiting';
      const started = await startApplying(run);
      if (started !== null) return started;
    }
    const outcome = await applyClaimed(run, held.lease);
    log.info({ outcome, kind: proposal.patch.kind, fence: held.lease.fence }, 'apply finished');
    return outcome;
  } finally {
    await held.release();
  }
}

/** `approved → applying`; when another worker moved it first, continue from its status. */
async function startApplying(run: Run): Promise<ApplyOutcome | null> {
  try {
    run.proposal = await run.input.stores.proposals.transition(run.proposal.id, {
      from: 'approved',
      to: 'applying',
      actor: run.actor,
    });
    return null;
  } catch (error) {
    if (!(error instanceof ProposalStateError)) throw error;
    const current = await run.input.stores.proposals.get(run.proposal.id);
    if (current === null) throw new ProposalNotFoundError(run.proposal.id);
    run.proposal = current;
    return settledOutcome(run, current);
  }
}

async function applyClaimed(run: Run, lease: TargetLease): Promise<ApplyOutcome> {
  const { proposal, input } = run;
  const open = placeholdersInPatch(proposal.patch);
  if (open.length > 0) {
    return finishFailed(
      run,
      `The patch still has placeholders (${open.join(', ')}); nothing was written.`,
    );
  }
  const claim = await input.stores.writeIntents.claim(proposal.id, lease);
  switch (claim.outcome) {
    case 'lease-lost':
      await run.guard();
      throw new ApplyStoppedError(`The apply of ${proposal.id} lost its target lease.`);
    case 'landed':
      return finishApplied(run, claim.intent.resourceId, undefined, await landedLists(run));
    case 'claimed': {
      const state = await readOrFail(run, claim.intent, lease);
      if (typeof state === 'string') return state;
      return decideFresh(run, claim.intent, lease, state);
    }
    case 'unknown':
      return decideUnknown(run, claim.intent, lease);
  }
}

/**
 * An earlier attempt claimed and stopped: its write may have landed. Keep its intent until the
 * target says which (a failed read leaves it for the next retry).
 */
async function decideUnknown(
  run: Run,
  intent: WriteIntent,
  lease: TargetLease,
): Promise<ApplyOutcome> {
  const { proposal, input } = run;
  const state = await readOrFail(run, null, lease);
  if (typeof state === 'string') return state;
  const found = classifyTarget(proposal, state);
  const landed =
    found === 'proposed' ||
    (found === 'changed' && rebaseOnto(proposal, state).where === 'proposed');
  if (landed) {
    await input.stores.writeIntents.markLanded(intent, resourceIdOf(state));
    return finishApplied(run, state.resourceId ?? undefined, undefined, inPlaceLists(run, state));
  }
  // Changed by someone else: whether the earlier write landed and was then changed is unknown.
  if (found === 'changed') return finishUnknown(run, state, intent);
  const ours = await input.stores.writeIntents.takeOver(intent, lease);
  if (ours === null) {
    await run.guard();
    throw new ApplyStoppedError(`The write intent of ${proposal.id} changed meanwhile.`);
  }
  return write(run, ours, lease, state);
}

function resourceIdOf(state: TargetState): { resourceId?: string } {
  return state.resourceId === null ? {} : { resourceId: state.resourceId };
}

/** A rule or style patch whose item is in place: the audit's lists, from the list as read. */
function inPlaceLists(run: Run, state: TargetState): AuditLists | undefined {
  const { patch, baseline } = run.proposal;
  const change = guidanceChangeOf(patch);
  return change === null ? undefined : guidanceInPlace(change, baseline.fields, state.fields);
}

/** A landed intent records no list: read it for the audit (the baseline's stands in on failure). */
async function landedLists(run: Run): Promise<AuditLists | undefined> {
  if (guidanceChangeOf(run.proposal.patch) === null) return undefined;
  try {
    return inPlaceLists(run, await readTarget(run.input.client, run.proposal));
  } catch (error) {
    run.log.warn({ err: (error as Error).message }, 'could not read the list for the audit');
    return undefined;
  }
}

/** Creates and rule or style adds adopt an identical item found in place. */
function adopts(patch: Proposal['patch'], state: TargetState): boolean {
  const change = guidanceChangeOf(patch);
  return state.isCreate || (change !== null && change.edited === undefined);
}

/**
 * A fresh claim: nothing of ours was written. Write unless the target moved; on top of it when
 * the patch appends lines that still fit (rebase.ts); adopt an identical item in place.
 */
async function decideFresh(
  run: Run,
  intent: WriteIntent,
  lease: TargetLease,
  state: TargetState,
): Promise<ApplyOutcome> {
  const found = classifyTarget(run.proposal, state);
  if (found === 'baseline') return write(run, intent, lease, state);
  const rebase = found === 'changed' ? rebaseOnto(run.proposal, state) : null;
  if (rebase?.where === 'rebased') {
    const lists = { before: rebase.before, after: rebase.after };
    const how = 'applied on top of changes made since the draft (its lines appended)';
    return write(run, intent, lease, state, { patch: rebase.patch, lists, how });
  }
  if ((found === 'proposed' && adopts(run.proposal.patch, state)) || rebase?.where === 'proposed') {
    // An identical item exists (a person added it, or an earlier run whose intent expired):
    // adopt it instead of creating a duplicate.
    await run.guard();
    await run.input.stores.writeIntents.markLanded(intent, resourceIdOf(state));
    run.log.info({ resourceId: state.resourceId }, 'adopted an identical existing item');
    const how = 'adopted an identical existing item';
    return finishApplied(run, state.resourceId ?? undefined, how, inPlaceLists(run, state));
  }
  await run.input.stores.writeIntents.release(intent, lease);
  const why =
    found === 'proposed' ? 'already has the proposed values, set by someone else' : undefined;
  return finishConflict(run, state, why);
}

/** Reads the target; a refused read (404: deleted) fails the proposal. */
async function readOrFail(
  run: Run,
  intent: WriteIntent | null,
  lease: TargetLease,
): Promise<TargetState | ApplyOutcome> {
  try {
    return await readTarget(run.input.client, run.proposal);
  } catch (error) {
    const refused = error instanceof KlaviyoApiError && !error.retryable;
    if (intent !== null) await run.input.stores.writeIntents.release(intent, lease);
    if (refused) return finishFailed(run, error.message);
    throw error;
  }
}
