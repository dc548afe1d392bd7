import type { LlmClient } from '../../llm/index.js';
import { toAgentContext } from '../../llm/index.js';
import type { AgentConfigView } from '../../patches/agent-config.js';
import type { DiagnosisStore, ProposalStore } from '../../store/index.js';
import type { DiagnoseLlmOptions } from './diagnose.js';
import { topicsInUse } from './topics-in-use.js';

export interface ClaudeDiagnoseSettings {
  client: LlmClient;
  /** Diagnose through the Message Batches API. */
  batch: boolean;
  successSample: number;
  accountId: string;
  view: AgentConfigView;
  stores: { proposals: Pick<ProposalStore, 'list'>; diagnoses: Pick<DiagnosisStore, 'listWindow'> };
  now: Date;
}

/** Claude's part of the diagnose stage: the configuration it sees, with the topics in use. */
export async function claudeDiagnoseOptions(
  settings: ClaudeDiagnoseSettings,
): Promise<DiagnoseLlmOptions> {
  return {
    client: settings.client,
    agentContext: {
      ...toAgentContext(settings.view),
      recentTopics: await topicsInUse(settings.stores, settings.accountId, settings.now),
    },
    mode: settings.batch ? 'batch' : 'direct',
    successSample: settings.successSample,
  };
}
