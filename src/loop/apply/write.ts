import { RequestValidationError } from '../../errors.js';
import { KlaviyoApiError, KlaviyoNetworkError } from '../../klaviyo/index.js';
import type { Proposal } from '../../domain/proposal.js';
import type { TargetState } from '../../patches/kind.js';
import { writtenList } from '../../patches/guidance-list.js';
import { guidanceChangeOf } from '../../patches/kinds/index.js';
import type { TargetLease, WriteIntent } from '../../store/apply-lock.js';
import type { ApplyOutcome } from './apply.js';
import { finishApplied, finishFailed, type Run } from './finish.js';
import type { AuditLists } from './guidance.js';
import { ApplyStoppedError } from './lease.js';
import { writeTarget } from './target.js';

/**
 * The one HTTP write of an apply, under a claimed intent and a held lease (both checked in Redis
 * right before it), and what is recorded after it: landed, refused (nothing changed), or left
 * unknown for the retry to re-read.
 */

/** Whether a failed write certainly changed nothing at Klaviyo. */
function certainlyNotWritten(error: unknown): boolean {
  if (error instanceof KlaviyoApiError) return !error.retryable || error.status === 429;
  if (error instanceof KlaviyoNetworkError) return error.neverSent;
  return error instanceof RequestValidationError;
}

/** What is written when it is not the patch as drafted: the patch rebased onto the target now. */
interface Rebased {
  patch: Proposal['patch'];
  lists: AuditLists;
  how: string;
}

export async function write(
  run: Run,
  intent: WriteIntent,
  lease: TargetLease,
  state: TargetState,
  rebased?: Rebased,
): Promise<ApplyOutcome> {
  const { writeIntents } = run.input.stores;
  const patch = rebased?.patch ?? run.proposal.patch;
  // The last check in Redis: no newer attempt holds the target, and the intent is still ours.
  await run.guard();
  if (!(await writeIntents.checkBeforeWrite(intent, lease))) {
    throw new ApplyStoppedError(
      `The apply of ${run.proposal.id} stopped before writing: its lease or write intent was taken by a newer attempt.`,
    );
  }
  let resourceId: string;
  try {
    resourceId = await writeTarget(run.input.client, patch, state);
  } catch (error) {
    // An unknown outcome (timeout, reset, 5xx) keeps the intent: the retry re-reads first.
    if (!certainlyNotWritten(error)) throw error;
    await writeIntents.release(intent, lease);
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
  const change = guidanceChangeOf(patch);
  const lists =
    rebased?.lists ??
    (change === null
      ? undefined
      : { before: state.fields, after: writtenList(change, state.fields) });
  return finishApplied(run, resourceId, rebased?.how, lists);
}
