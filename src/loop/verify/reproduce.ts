import type { KlaviyoClient } from '../../klaviyo/index.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { SnapshotStore } from '../../store/snapshots.js';
import type { Finding } from '../../domain/finding.js';
import type { BaselineVerdict, Reproduction } from '../../domain/replay.js';
import { replayEvidence, type VerifyJudge } from './verify.js';

/**
 * Reproduce before proposing: a finding's evidence conversations replayed against the LIVE
 * configuration (preview mode, the judge verify uses), so a proposal says the failure still
 * happens — "reproduces in k of n" — and verify can later count only the conversations that
 * failed here as fixed. Synthesis gets this from its job (a stage does not import another).
 */

export interface ReproducerInput {
  accountId: string;
  /** The synthesis run (Claude's judging is counted under it). */
  runId: string;
  /**
   * The write key's client (running a turn needs `agents:write`): the same client, and so the
   * same rate limiter and quota, as the rest of the account's calls.
   */
  client: Pick<KlaviyoClient, 'responses'>;
  stores: { snapshots: Pick<SnapshotStore, 'get'> };
  judge: VerifyJudge;
  /** Conversations this run may replay, across all its findings. */
  maxReplays: number;
  now?: (() => Date) | undefined;
  logger?: Logger | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Evidence conversations replayed per finding: enough to tell whether a failure still happens, few
 * enough that the run's cap covers every finding a run proposes (verify replays the same ones).
 */
export const REPRODUCE_PER_FINDING = 5;

/** Replays a finding's evidence against the live configuration; what synthesis calls. */
export type Reproducer = (finding: Finding) => Promise<Reproduction>;

/** A reproducer for one run: its replays count against the run's cap, finding after finding. */
export function createReproducer(input: ReproducerInput): Reproducer {
  const now = input.now ?? (() => new Date());
  const log = (input.logger ?? silentLogger).child({ step: 'reproduce' });
  const capSpent = `this run's replay cap (${input.maxReplays}) was spent`;
  let replayed = 0;
  const admit = (): string | null => {
    if (replayed >= input.maxReplays) return capSpent;
    replayed += 1;
    return null;
  };
  return async (finding) => {
    const details = await replayEvidence({
      accountId: input.accountId,
      finding,
      client: input.client,
      stores: input.stores,
      judge: input.judge,
      runId: input.runId,
      maxConversations: REPRODUCE_PER_FINDING,
      signal: input.signal,
      admit,
      keepGoing: true,
    });
    const verdicts: BaselineVerdict[] = details.map((d) => ({
      conversationId: d.conversationId,
      failedAtBaseline: d.handled === null ? null : !d.handled,
      reason: d.reason,
      judge: d.judge,
    }));
    const judged = verdicts.filter((v) => v.failedAtBaseline !== null);
    const reproduction = {
      checkedAt: now().toISOString(),
      reproduced: judged.filter((v) => v.failedAtBaseline).length,
      total: judged.length,
      details: verdicts,
    };
    log.info(
      {
        findingId: finding.id,
        reproduced: reproduction.reproduced,
        total: reproduction.total,
        replayedThisRun: replayed,
      },
      'reproduced',
    );
    return reproduction;
  };
}
