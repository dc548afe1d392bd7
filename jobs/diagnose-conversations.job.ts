import { diagnoseSnapshots, toRulesContext } from '../src/loop/diagnose/diagnose.js';
import { defineJob, diagnoseConversationsContract } from '../src/queue/index.js';
import { claudeDiagnoseOptions } from '../src/loop/diagnose/claude-options.js';
import type { ConversationSnapshot } from '../src/domain/snapshot.js';

/**
 * Diagnoses a batch of pulled conversations: the rules diagnoser for all of them, Claude (when
 * configured) for the failures, the uncertain ones and a sample of successes. A conversation
 * version already diagnosed is skipped before any token is spent, so retries and duplicate
 * batches cost nothing and store nothing twice.
 */
export const diagnoseConversationsJob = defineJob({
  ...diagnoseConversationsContract,
  async handle({ accountId, runId, conversations }, { deps, log, progress, signal }) {
    const view = await deps.agentConfig(accountId);
    const snapshots: ConversationSnapshot[] = [];
    for (const { id } of conversations) {
      const snapshot = await deps.stores.snapshots.get(accountId, id);
      // Past its retention (or purged): nothing left to diagnose.
      if (snapshot) snapshots.push(snapshot);
    }
    const summary = await diagnoseSnapshots({
      accountId,
      runId,
      snapshots,
      context: toRulesContext(view),
      stores: deps.stores,
      llm: deps.llm
        ? await claudeDiagnoseOptions({
            client: deps.llm,
            batch: deps.config.llm.batch,
            successSample: deps.config.llm.successSample,
            accountId,
            view,
            stores: deps.stores,
            now: deps.now(),
          })
        : undefined,
      logger: log,
      onProgress: (p) => void progress(p),
      signal,
    });
    log.info(summary, 'diagnosed');
    return summary;
  },
});
