import type { ConversationSnapshot } from '../../domain/snapshot.js';
import type { LlmClient } from '../../llm/index.js';
import type { Logger } from '../../logger.js';
import type { AgentConfigView } from '../../patches/agent-config.js';
import type { DiagnosisStore, ProposalStore, SnapshotStore } from '../../store/index.js';
import { claudeDiagnoseOptions } from './claude-options.js';
import {
  diagnoseSnapshots,
  toRulesContext,
  type DiagnoseProgress,
  type DiagnoseSummary,
} from './diagnose.js';

export interface DiagnoseStoredInput {
  accountId: string;
  runId: string;
  /** Pulled conversations; those no longer stored (past retention, purged) are skipped. */
  conversationIds: Iterable<string>;
  /** The agent's configuration, read by the caller (cached or fresh). */
  view: AgentConfigView;
  stores: {
    snapshots: Pick<SnapshotStore, 'get'>;
    diagnoses: Pick<DiagnosisStore, 'has' | 'put' | 'listWindow'>;
    proposals: Pick<ProposalStore, 'list'>;
  };
  /** Claude, when configured; without it the rules diagnose everything. */
  llm?: { client: LlmClient; batch: boolean; successSample: number } | undefined;
  now: Date;
  logger?: Logger;
  onProgress?: (progress: DiagnoseProgress) => void;
  signal?: AbortSignal;
}

/**
 * Diagnoses stored conversations as the diagnose job does (and `agent-trainer eval` measures):
 * the rules for all, Claude with the account's topics in use for what the triage sends it.
 */
export async function diagnoseStored(input: DiagnoseStoredInput): Promise<DiagnoseSummary> {
  const { accountId, stores, view } = input;
  const snapshots: ConversationSnapshot[] = [];
  for (const id of input.conversationIds) {
    const snapshot = await stores.snapshots.get(accountId, id);
    if (snapshot) snapshots.push(snapshot);
  }
  return diagnoseSnapshots({
    accountId,
    runId: input.runId,
    snapshots,
    context: toRulesContext(view),
    stores,
    llm:
      input.llm === undefined
        ? undefined
        : await claudeDiagnoseOptions({ ...input.llm, accountId, view, stores, now: input.now }),
    ...(input.logger === undefined ? {} : { logger: input.logger }),
    ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
}
