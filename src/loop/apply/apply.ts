import { randomUUID } from 'node:crypto';
import { AppError, RequestValidationError } from '../../errors.js';
import { KlaviyoApiError, KlaviyoNetworkError } from '../../klaviyo/index.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { WriteIntent, WriteIntentStore } from '../../store/apply-lock.js';
import { ProposalNotFoundError, ProposalStateError } from '../../store/proposal-errors.js';
import type { ProposalStore } from '../../store/proposals.js';
import { finishApplied, finishConflict, finishFailed, settledOutcome, type Run } from './finish.js';
import { guidanceInPlace, type AuditLists } from './guidance.js';
import { classifyTarget, readTarget, writeTarget } from './target.js';
import { placeholdersInPatch } from '../../domain/placeholders.js';
import type { Proposal } from '../../domain/proposal.js';
import type { ApplyClient, TargetState } from '../../patches/kind.js';
import { writtenList } from '../../patches/guidance-list.js';
import { guidanceChangeOf } from '../../patches/kinds/index.js';

export { classifyTarget, readTarget, writeTarget } from './target.js';
export type { ApplyClient, TargetState } from '../../patches/kind.js';

/**
 * Apply: the one place a proposal's patch is written to Klaviyo, on top of the write-intent
 * protocol of src/store/apply-lock.ts (read its header). At most one write per proposal, even
 * when a worker is killed at any point or two apply jobs race; no result is lost, because a retry
 * re-reads the target and finishes from what it finds. Every outcome is one compare-and-set
 * transition of the proposal, which writes the audit entry (before, after, who approved).
 */

export type ApplyOutcome = 'applied' | 'conflict' | 'failed' | 'already-applied';

/** Points where tests simulate a worker being killed. */
export interface ApplyHooks {
  /** Right after the write returned, before it is recorded anywhere. */
  afterWrite?: () => void | Promise<void>;
  /** After the intent is marked landed, before the proposal moves to `applied`. */
  afterLanded?: () => void | Promise<void>;
}

export interface ApplyInput {
  proposalId: string;
  client: ApplyClient;
  stores: {
    proposals: Pick<ProposalStore, 'get' | 'transition'>;
    writeIntents: Pick<WriteIntentStore, 'claim' | 'takeOver' | 'markLanded' | 'release'>;
  };
  /** Recorded on the apply's transitions. @defaultValue 'system' */
  actor?: string;
  /**
   * Who holds the write intent: the apply job's id, the same across its retries, so a retry can
   * take over its own stale claim. @defaultValue a random id (each call is another owner)
   */
  owner?: string;
  /** How long a claim stays live for other owners. @defaultValue 120 000 */
  leaseMs?: number;
  logger?: Logger;
  now?: () => Date;
  hooks?: ApplyHooks;
}

function busy(proposal: Proposal, intent: WriteIntent): AppError {
  return new AppError(
    `Proposal ${proposal.id} is being applied by ${intent.owner} (claim live until ${intent.leaseUntil}); try again after that.`,
    { code: 'proposal_busy', retryable: true },
  );
}

/**
 * Applies an approved proposal. Returns the outcome; `already-applied` when an earlier call
 * finished it. Throws ProposalStateError for a proposal that was never approved, and rethrows
 * retryable errors (network, 5xx, 429, a live claim of another worker) for the job to retry.
 */
export async function applyProposal(input: ApplyInput): Promise<ApplyOutcome> {
  const log = (input.logger ?? silentLogger).child({ proposalId: input.proposalId });
  const proposal = await input.stores.proposals.get(input.proposalId);
  if (proposal === null) throw new ProposalNotFoundError(input.proposalId);
  const run: Run = {
    input,
    proposal,
    actor: input.actor ?? 'system',
    log,
    now: input.now ?? (() => new Date()),
  };
  const settled = await settledOutcome(run, proposal);
  if (settled !== null) return settled;
  if (proposal.status === 'approved') {
    const started = await startApplying(run);
    if (started !== null) return started;
  }
  const outcome = await applyClaimed(run);
  log.info({ outcome, kind: proposal.patch.kind }, 'apply finished');
  return outcome;
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

async function applyClaimed(run: Run): Promise<ApplyOutcome> {
  const { proposal, input } = run;
  const open = placeholdersInPatch(proposal.patch);
  if (open.length > 0) {
    return finishFailed(
      run,
      `The patch still has placeholders (${open.join(', ')}); nothing was written.`,
    );
  }
  const options = {
    owner: input.owner ?? `apply-${randomUUID()}`,
    ...(input.leaseMs === undefined ? {} : { leaseMs: input.leaseMs }),
  };
  const claim = await input.stores.writeIntents.claim(proposal.id, options);
  switch (claim.outcome) {
    case 'in-flight':
      throw busy(proposal, claim.intent);
    case 'landed':
      return finishApplied(run, claim.intent.resourceId, undefined, await landedLists(run));
    case 'claimed': {
      const state = await readOrFail(run, claim.intent);
      if (typeof state === 'string') return state;
      return decideFresh(run, claim.intent, state);
    }
    case 'unknown': {
      // An earlier attempt claimed and stopped: its write may have landed. Keep its intent
      // until the target says which (a failed read leaves it for the next retry).
      const state = await readOrFail(run, null);
      if (typeof state === 'string') return state;
      const found = classifyTarget(proposal, state);
      if (found === 'proposed') {
        await input.stores.writeIntents.markLanded(claim.intent, resourceIdOf(state));
        return finishApplied(
          run,
          state.resourceId ?? undefined,
          undefined,
          inPlaceLists(run, state),
        );
      }
      if (found === 'changed') {
        await input.stores.writeIntents.release(claim.intent);
        return finishConflict(run, state);
      }
      const ours = await input.stores.writeIntents.takeOver(claim.intent, options);
      if (ours === null) throw busy(proposal, claim.intent);
      return write(run, ours, state);
    }
  }
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

/** A fresh claim: nothing of ours was written. Write unless the target moved (or has the item). */
async function decideFresh(
  run: Run,
  intent: WriteIntent,
  state: TargetState,
): Promise<ApplyOutcome> {
  const found = classifyTarget(run.proposal, state);
  if (found === 'baseline') return write(run, intent, state);
  if (found === 'proposed' && adopts(run.proposal.patch, state)) {
    // An identical item exists (a person added it, or an earlier run whose intent expired):
    // adopt it instead of creating a duplicate.
    await run.input.stores.writeIntents.markLanded(intent, resourceIdOf(state));
    run.log.info({ resourceId: state.resourceId }, 'adopted an identical existing item');
    const how = 'adopted an identical existing item';
    return finishApplied(run, state.resourceId ?? undefined, how, inPlaceLists(run, state));
  }
  await run.input.stores.writeIntents.release(intent);
  const why =
    found === 'proposed' ? 'already has the proposed values, set by someone else' : undefined;
  return finishConflict(run, state, why);
}

/** Reads the target; a refused read (404: deleted) fails the proposal. */
async function readOrFail(
  run: Run,
  intent: WriteIntent | null,
): Promise<TargetState | ApplyOutcome> {
  try {
    return await readTarget(run.input.client, run.proposal);
  } catch (error) {
    const refused = error instanceof KlaviyoApiError && !error.retryable;
    if (intent !== null) await run.input.stores.writeIntents.release(intent);
    if (refused) return finishFailed(run, error.message);
    throw error;
  }
}

/** Whether a failed write certainly changed nothing at Klaviyo. */
function certainlyNotWritten(error: unknown): boolean {
  if (error instanceof KlaviyoApiError) return !error.retryable || error.status === 429;
  if (error instanceof KlaviyoNetworkError) return error.neverSent;
  return error instanceof RequestValidationError;
}

async function write(run: Run, intent: WriteIntent, state: TargetState): Promise<ApplyOutcome> {
  const { writeIntents } = run.input.stores;
  let resourceId: string;
  try {
    resourceId = await writeTarget(run.input.client, run.proposal.patch, state);
  } catch (error) {
    // An unknown outcome (timeout, reset, 5xx) keeps the intent: the retry re-reads first.
    if (!certainlyNotWritten(error)) throw error;
    await writeIntents.release(intent);
    const refused =
      (error instanceof KlaviyoApiError && !error.retryable) ||
      error instanceof RequestValidationError;
    if (refused) return finishFailed(run, (error as Error).message);
    throw error;
  }
  await run.input.hooks?.afterWrite?.();
  if (!(await writeIntents.markLanded(intent, { resourceId }))) {
    run.log.warn({ owner: intent.owner }, 'write landed but the claim was taken over meanwhile');
  }
  await run.input.hooks?.afterLanded?.();
  const change = guidanceChangeOf(run.proposal.patch);
  const lists =
    change === null
      ? undefined
      : { before: state.fields, after: writtenList(change, state.fields) };
  return finishApplied(run, resourceId, undefined, lists);
}
