import { isAppError } from '../../errors.js';
import {
  addUsage,
  diagnoseWithClaude,
  ZERO_USAGE,
  type AgentContext,
  type DiagnoseOutput,
  type LlmClient,
  type LlmUsage,
} from '../../llm/index.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { DiagnosisStore } from '../../store/index.js';
import type { AgentConfigView } from '../../patches/agent-config.js';
import type { Diagnosis, FailureCategory, Outcome } from '../../domain/diagnosis.js';
import { diagnoseByRules, type RulesContext } from './offline-diagnoser.js';
import { triage } from './triage.js';
import type { ConversationSnapshot } from '../../domain/snapshot.js';

/**
 * The diagnose stage: every new conversation version gets one stored diagnosis. The rules
 * diagnose everything first (free); with Claude configured, triage sends failures, uncertain
 * ones and a sample of successes to Claude, whose diagnosis then replaces the rules one. A Claude
 * failure or a budget stop keeps the rules diagnosis, so a run always finishes.
 */

/** Claude's part of the stage. */
export interface DiagnoseLlmOptions {
  client: LlmClient;
  agentContext: AgentContext;
  /** `batch` uses the Message Batches API: half the price, answers within hours. */
  mode: 'direct' | 'batch';
  /** Share of rules successes still sent to Claude, 0..1. */
  successSample: number;
  /** Seed of the success sample. @defaultValue the account id (reruns sample the same ones) */
  sampleSeed?: string;
  /** Conversations per Claude round. @defaultValue 20 direct, 1000 batch */
  chunkSize?: number;
  /** Calls in flight in direct mode. @defaultValue 4 (see diagnoseWithClaude) */
  concurrency?: number;
  /** Batch status poll interval. @defaultValue 30000 */
  pollMs?: number;
}

/** Where the stage is, for progress bars. */
export interface DiagnoseProgress {
  seen: number;
  diagnosed: number;
  skipped: number;
  sentToClaude: number;
}

export interface DiagnoseSnapshotsInput {
  accountId: string;
  runId: string;
  snapshots: Iterable<ConversationSnapshot> | AsyncIterable<ConversationSnapshot>;
  context: RulesContext;
  stores: { diagnoses: Pick<DiagnosisStore, 'has' | 'put'> };
  /** Without it, the rules diagnose everything (the offline default). */
  llm?: DiagnoseLlmOptions | undefined;
  logger?: Logger;
  onProgress?: (progress: DiagnoseProgress) => void;
  signal?: AbortSignal;
}

export interface DiagnoseSummary {
  /** Diagnoses stored by this run. */
  diagnosed: number;
  /** Conversation versions already diagnosed (by an earlier or a concurrent run). */
  skipped: number;
  byOutcome: Record<Outcome, number>;
  /** Failures by category. */
  byCategory: Partial<Record<FailureCategory, number>>;
  byDiagnoser: Record<Diagnosis['diagnoser'], number>;
  /** Conversations triaged to Claude (those it failed on included). */
  sentToClaude: number;
  /** Conversations that tried to instruct the loop: listed for a person, kept out of findings. */
  suspicious: number;
  /** Conversations Claude did not diagnose; their rules diagnosis was stored instead. */
  claudeFailures: number;
  /** Claude's tokens and cost, when Claude was configured. */
  usage?: LlmUsage;
  /** Why Claude calls stopped before the end, if they did. */
  stoppedBy?: 'budget' | 'api_error';
}

interface Pending {
  snapshot: ConversationSnapshot;
  rules: Diagnosis;
}

/** Diagnoses the snapshots and stores one diagnosis per conversation version. */
export async function diagnoseSnapshots(input: DiagnoseSnapshotsInput): Promise<DiagnoseSummary> {
  const run = new DiagnoseRun(input);
  const seen = new Set<string>();
  for await (const snapshot of input.snapshots) {
    input.signal?.throwIfAborted();
    const { id, attributes } = snapshot.conversation;
    const version = `${id}\u0000${attributes.updated_at}`;
    run.progress.seen += 1;
    // Checked before any token is spent: a retried job must not pay twice.
    if (
      seen.has(version) ||
      (await input.stores.diagnoses.has(input.accountId, id, attributes.updated_at))
    ) {
      run.progress.skipped += 1;
      run.report();
      continue;
    }
    seen.add(version);
    await run.add(snapshot);
  }
  await run.flush();
  return run.summary();
}

class DiagnoseRun {
  readonly progress: DiagnoseProgress = { seen: 0, diagnosed: 0, skipped: 0, sentToClaude: 0 };
  private readonly logger: Logger;
  private readonly pending: Pending[] = [];
  private readonly byOutcome: Record<Outcome, number> = { success: 0, failure: 0, uncertain: 0 };
  private readonly byCategory: Partial<Record<FailureCategory, number>> = {};
  private readonly byDiagnoser: Record<Diagnosis['diagnoser'], number> = { rules: 0, claude: 0 };
  private suspicious = 0;
  private claudeFailures = 0;
  private usage: LlmUsage = ZERO_USAGE;
  private stoppedBy: 'budget' | 'api_error' | null = null;

  constructor(private readonly input: DiagnoseSnapshotsInput) {
    this.logger = input.logger ?? silentLogger;
  }

  /** Diagnoses by rules, then stores it or queues it for Claude. */
  async add(snapshot: ConversationSnapshot): Promise<void> {
    const rules = diagnoseByRules(snapshot, this.input.context);
    const llm = this.input.llm;
    const seed = llm?.sampleSeed ?? this.input.accountId;
    // A transcript written to steer an AI is not handed to one: a person reads it instead.
    if (
      !llm ||
      this.stoppedBy ||
      rules.suspicion ||
      triage(rules, { successSample: llm.successSample, seed }) === 'rules'
    ) {
      await this.store(snapshot, rules);
      return;
    }
    this.pending.push({ snapshot, rules });
    const chunk = llm.chunkSize ?? (llm.mode === 'batch' ? 1000 : 20);
    if (this.pending.length >= chunk) await this.flush();
  }

  /** Sends the queued conversations to Claude and stores what comes back (or the rules'). */
  async flush(): Promise<void> {
    const items = this.pending.splice(0);
    const llm = this.input.llm;
    if (items.length === 0 || !llm) return;
    const out = this.stoppedBy ? null : await this.askClaude(llm, items);
    const claude = new Map(out?.diagnoses.map((d) => [d.conversationId, d]));
    for (const failure of out?.failures ?? []) {
      this.logger.warn(
        {
          accountId: this.input.accountId,
          runId: this.input.runId,
          conversationId: failure.conversationId,
          code: failure.error.code,
        },
        'claude did not diagnose the conversation; keeping the rules diagnosis',
      );
    }
    for (const item of items) {
      const diagnosis = claude.get(item.snapshot.conversation.id);
      if (!diagnosis) this.claudeFailures += 1;
      await this.store(item.snapshot, diagnosis ?? item.rules);
    }
  }

  private async askClaude(
    llm: DiagnoseLlmOptions,
    items: Pending[],
  ): Promise<DiagnoseOutput | null> {
    this.progress.sentToClaude += items.length;
    this.report();
    try {
      const out = await diagnoseWithClaude(llm.client, {
        accountId: this.input.accountId,
        runId: this.input.runId,
        agentContext: llm.agentContext,
        conversations: items.map((i) => i.snapshot),
        mode: llm.mode,
        ...(llm.concurrency === undefined ? {} : { concurrency: llm.concurrency }),
        ...(llm.pollMs === undefined ? {} : { pollMs: llm.pollMs }),
        ...(this.input.signal ? { signal: this.input.signal } : {}),
      });
      this.usage = addUsage(this.usage, out.usage);
      if (out.stoppedBy) this.stop(out.stoppedBy);
      return out;
    } catch (error) {
      if (!isAppError(error)) throw error;
      this.logger.warn(
        { accountId: this.input.accountId, code: error.code },
        'claude diagnosis failed',
      );
      this.stop('api_error');
      return null;
    }
  }

  private stop(reason: 'budget' | 'api_error'): void {
    if (this.stoppedBy) return;
    this.stoppedBy = reason;
    this.logger.warn(
      { accountId: this.input.accountId, runId: this.input.runId, reason },
      'claude calls stopped; the rest of the run uses the rules diagnoser',
    );
  }

  private async store(snapshot: ConversationSnapshot, diagnosis: Diagnosis): Promise<void> {
    const { id, attributes } = snapshot.conversation;
    const result = await this.input.stores.diagnoses.put(this.input.accountId, {
      conversationId: id,
      conversationCreatedAt: attributes.created_at,
      conversationUpdatedAt: attributes.updated_at,
      diagnosis,
    });
    if (result === 'exists') {
      this.progress.skipped += 1;
    } else {
      this.progress.diagnosed += 1;
      this.byOutcome[diagnosis.outcome] += 1;
      this.byDiagnoser[diagnosis.diagnoser] += 1;
      if (diagnosis.suspicion) this.suspicious += 1;
      if (diagnosis.outcome === 'failure' && diagnosis.category) {
        this.byCategory[diagnosis.category] = (this.byCategory[diagnosis.category] ?? 0) + 1;
      }
    }
    this.report();
  }

  report(): void {
    this.input.onProgress?.({ ...this.progress });
  }

  summary(): DiagnoseSummary {
    const summary: DiagnoseSummary = {
      diagnosed: this.progress.diagnosed,
      skipped: this.progress.skipped,
      byOutcome: { ...this.byOutcome },
      byCategory: { ...this.byCategory },
      byDiagnoser: { ...this.byDiagnoser },
      sentToClaude: this.progress.sentToClaude,
      suspicious: this.suspicious,
      claudeFailures: this.claudeFailures,
      ...(this.input.llm ? { usage: this.usage } : {}),
      ...(this.stoppedBy ? { stoppedBy: this.stoppedBy } : {}),
    };
    this.logger.info(
      { accountId: this.input.accountId, runId: this.input.runId, ...summary },
      'diagnosed conversations',
    );
    return summary;
  }
}

/** The rules diagnoser's view of a configuration read by `readAgentConfig`. */
export function toRulesContext(view: AgentConfigView): RulesContext {
  return {
    skills: view.skills.map((s) => ({
      id: s.id,
      name: s.displayName,
      description: s.description,
      handoff: s.handoff,
      status: s.status,
      instructions: s.instructions,
      tools: s.toolIds,
    })),
    // Only indexed items: the agent cannot answer from the others yet.
    knowledge: view.knowledge
      .filter((k) => k.status === 'indexed')
      .map((k) => ({ id: k.id, title: k.title ?? k.url ?? '', content: k.content ?? '' })),
    escalationRules: view.agent.escalationRules,
  };
}
