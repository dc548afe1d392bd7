import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  DEFAULT_LEASE_MS,
  type TargetLease,
  type WriteIntentStore,
} from '../../store/apply-lock.js';
import type { Proposal } from '../../domain/proposal.js';
import { targetOf } from '../../domain/attribution.js';

/**
 * An apply attempt's hold on its target: the fenced lease of src/store/apply-lock.ts, renewed
 * while the attempt runs. `guard()` is called before every step that changes something (the
 * write, recording the outcome): it stops the attempt once its job was aborted (cancelled, or its
 * BullMQ lock lost) or its lease was lost, so a stalled attempt never acts after a newer one.
 */

export type LeaseStore = Pick<WriteIntentStore, 'acquire' | 'renew' | 'holds' | 'releaseLease'>;

/** The attempt stopped before finishing; the job's retry (or the newer attempt) finishes it. */
export class ApplyStoppedError extends AppError {
  constructor(message: string) {
    super(message, { code: 'apply_stopped', retryable: true });
  }
}

export interface HeldTarget {
  lease: TargetLease;
  /** Throws ApplyStoppedError when the job was aborted or the lease is no longer ours. */
  guard(): Promise<void>;
  /** Stops renewing and gives the target up. */
  release(): Promise<void>;
}

export interface HoldOptions {
  store: LeaseStore;
  owner: string;
  leaseMs: number | undefined;
  signal: AbortSignal | undefined;
  log: Logger;
}

/** How often a waiting attempt asks for the target again. */
const POLL_MS = 200;

/**
 * Takes the proposal's target, waiting up to one lease length for another attempt to finish with
 * it (several applies of one target, e.g. auto-approved together, then run one after another in
 * their first attempt); after that throws a retryable `proposal_busy` naming who holds it.
 */
export async function holdTarget(proposal: Proposal, options: HoldOptions): Promise<HeldTarget> {
  const { store, signal, log } = options;
  const target = targetOf(proposal);
  const leaseOptions = {
    owner: options.owner,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  };
  const deadline = Date.now() + (options.leaseMs ?? DEFAULT_LEASE_MS);
  let acquired = await store.acquire(target, leaseOptions);
  while (!acquired.ok && Date.now() < deadline) {
    try {
      await sleep(Math.min(POLL_MS, deadline - Date.now()), undefined, { signal });
    } catch {
      throw new ApplyStoppedError(
        `The apply of ${proposal.id} stopped while waiting for its target: its job was aborted.`,
      );
    }
    acquired = await store.acquire(target, leaseOptions);
  }
  if (!acquired.ok) {
    const { owner, remainingMs } = acquired.holder;
    throw new AppError(
      `Proposal ${proposal.id} waits: its target (${target}) is being written by apply job ${owner} (lease for ${remainingMs} ms more); it is retried after that.`,
      { code: 'proposal_busy', retryable: true },
    );
  }
  const { lease } = acquired;
  let lost = false;
  const renew = async () => {
    try {
      if (!(await store.renew(lease))) lost = true;
    } catch (error) {
      // Redis unreachable: the lease may run out; `guard` checks it before any change.
      log.warn({ err: (error as Error).message }, 'could not renew the target lease');
    }
  };
  const timer = setInterval(() => void renew(), Math.max(1, Math.floor(lease.leaseMs / 3)));
  timer.unref();
  return {
    lease,
    async guard() {
      if (signal?.aborted) {
        throw new ApplyStoppedError(
          `The apply of ${proposal.id} stopped: its job was aborted (${String(signal.reason ?? 'cancelled')}).`,
        );
      }
      if (lost || !(await store.holds(lease))) {
        lost = true;
        throw new ApplyStoppedError(
          `The apply of ${proposal.id} stopped: its lease on ${target} (fence ${lease.fence}) ran out and another attempt may hold it.`,
        );
      }
    },
    async release() {
      clearInterval(timer);
      if (lost) return;
      await store.releaseLease(lease).catch((error: unknown) => {
        log.warn({ err: (error as Error).message }, 'could not release the target lease');
      });
    },
  };
}
