import { paceOf } from '../src/loop/pull/pace.js';
import { pullIncremental, type PullProgress } from '../src/loop/pull/pull-conversations.js';
import {
  defineJob,
  diagnoseConversationsContract,
  diagnoseJobId,
  pullConversationsContract,
} from '../src/queue/index.js';

/** Conversations per diagnose job: small enough to retry cheaply, large enough to batch. */
const DIAGNOSE_CHUNK = 25;

/**
 * Pulls an account's new and changed conversations into snapshots and fans the changed ones out
 * to diagnose jobs, whose ids come from the conversation versions: a retried or overlapping pull
 * never diagnoses the same version twice. The fan-out happens before the checkpoint moves, and a
 * retry also fans out what a stopped attempt stored, so no pulled conversation goes undiagnosed.
 */
export const pullConversationsJob = defineJob({
  ...pullConversationsContract,
  async handle({ accountId, runId, since }, { deps, enqueue, progress, log, job }) {
    const run = runId ?? job.id;
    const diagnoseJobs: string[] = [];
    const client = deps.klaviyo(accountId, 'read');
    const started = Date.now();
    // The job's progress (shown by the dashboard and `run`) says how far, how fast, and why.
    const report = async (p: PullProgress) =>
      progress(paceOf(p, Date.now() - started, await client.quota('conversations')));
    const summary = await pullIncremental({
      accountId,
      client,
      checkpoints: deps.stores.checkpoints,
      snapshots: deps.stores.snapshots,
      runId: run,
      handOff: async (changed) => {
        // In id order, so a retry handing over the same versions enqueues the same job ids.
        const ordered = [...changed].sort((a, b) => a.id.localeCompare(b.id));
        for (let i = 0; i < ordered.length; i += DIAGNOSE_CHUNK) {
          const conversations = ordered.slice(i, i + DIAGNOSE_CHUNK);
          const enqueued = await enqueue(
            diagnoseConversationsContract,
            { accountId, runId: run, conversations },
            { jobId: diagnoseJobId(accountId, conversations) },
          );
          diagnoseJobs.push(enqueued.id);
        }
      },
      ...(since ? { since: new Date(since) } : {}),
      overlapMinutes: deps.config.pull.overlapMinutes,
      maxConversations: deps.config.pull.maxConversations,
      now: deps.now,
      onProgress: (p) => {
        report(p).catch((err: unknown) => log.warn({ err }, 'pull progress not reported'));
      },
    });
    log.info({ ...summary, diagnoseJobs: diagnoseJobs.length }, 'pulled');
    return { ...summary, diagnoseJobs };
  },
});
