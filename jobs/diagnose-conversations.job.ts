import { diagnoseStored } from '../src/loop/diagnose/diagnose-stored.js';
import { defineJob, diagnoseConversationsContract } from '../src/queue/index.js';

/**
 * Diagnoses a batch of pulled conversations: the rules diagnoser for all of them, Claude (when
 * configured) for the failures, the uncertain ones and a sample of successes. A conversation
 * version already diagnosed is skipped before any token is spent, so retries and duplicate
 * batches cost nothing and store nothing twice.
 */
export const diagnoseConversationsJob = defineJob({
  ...diagnoseConversationsContract,
  async handle({ accountId, runId, conversations }, { deps, log, progress, signal }) {
    const summary = await diagnoseStored({
      accountId,
      runId,
      conversationIds: conversations.map((c) => c.id),
      view: await deps.agentConfig(accountId),
      stores: deps.stores,
      llm: deps.llm
        ? {
            client: deps.llm,
            batch: deps.config.llm.batch,
            successSample: deps.config.llm.successSample,
          }
        : undefined,
      now: deps.now(),
      logger: log,
      onProgress: (p) => void progress(p),
      signal,
    });
    log.info(summary, 'diagnosed');
    return summary;
  },
});
