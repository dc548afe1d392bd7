import { createKlaviyoClient } from '../src/klaviyo/index.js';
import type { AgentContext } from '../src/llm/index.js';
import type { ParsedMessagesRequest } from '../test/fakes/anthropic-server.js';
import { readAgentConfig } from '../src/patches/agent-config.js';
import { toRulesContext } from '../src/loop/diagnose/diagnose.js';
import type { Diagnosis } from '../src/domain/diagnosis.js';
import { forEachConcurrently } from '../src/loop/pull/pull-conversations.js';
import { diagnoseByRules, type RulesContext } from '../src/loop/diagnose/offline-diagnoser.js';
import { SANDBOX_KEYS, startSandbox } from '../src/sandbox/index.js';
import { toAgentContext } from '../src/llm/index.js';
import { type ConversationSnapshot, FINAL_STATUSES } from '../src/domain/snapshot.js';

/**
 * The input of `npm run bench:llm`: the demo store (seed 42) read from the sandbox the way a run
 * reads it — the agent configuration through `readAgentConfig`, and every final-state
 * conversation with its messages (the pull fetches no transcript of an open conversation).
 */
export interface LlmBenchDemo {
  snapshots: ConversationSnapshot[];
  rulesContext: RulesContext;
  agentContext: AgentContext;
  /** The rules diagnosis of every snapshot, by conversation id. */
  rulesDiagnoses: Map<string, Diagnosis>;
  /** Conversations the store has, open ones included. */
  listed: number;
}

/** Reads the demo store from a sandbox (rate limits off: this measures tokens, not the pull). */
export async function loadDemo(): Promise<LlmBenchDemo> {
  const sandbox = await startSandbox({ port: 0, scenario: 'demo', rateLimits: 'off' });
  try {
    const client = createKlaviyoClient({
      apiKey: SANDBOX_KEYS.read,
      baseUrl: sandbox.url,
      rateLimits: 'off',
    });
    const view = await readAgentConfig(client);
    const conversations = await client.conversations.list({ pageSize: 100 }).toArray();
    const final = conversations.filter((c) => FINAL_STATUSES.has(c.attributes.status));
    const byId = new Map<string, ConversationSnapshot>();
    await forEachConcurrently(final, 8, async (conversation) => {
      const messages = await client.conversations.messages(conversation.id).toArray();
      byId.set(conversation.id, { conversation, messages });
    });
    // Listing order, so every run sees the conversations in the same order.
    const snapshots = final.flatMap((c) => byId.get(c.id) ?? []);
    const rulesContext = toRulesContext(view);
    const rulesDiagnoses = new Map(
      snapshots.map((s) => [s.conversation.id, diagnoseByRules(s, rulesContext)]),
    );
    return {
      snapshots,
      rulesContext,
      agentContext: toAgentContext(view),
      rulesDiagnoses,
      listed: conversations.length,
    };
  } finally {
    await sandbox.close();
  }
}

const TRANSCRIPT_ID = /<transcript id="([^"]+)"/;

/**
 * The fake model's answer: the rules diagnosis of the conversation in the request's transcript
 * (found by the id in its `<transcript id="…">` tag), as Claude's tool input. Every strategy gets
 * the same answer for the same conversation, so their findings can be compared.
 */
export function rulesResponder(diagnoses: ReadonlyMap<string, Diagnosis>) {
  const unknown: string[] = [];
  const respond = (req: ParsedMessagesRequest) => {
    const id = TRANSCRIPT_ID.exec(req.lastUserText)?.[1];
    const diagnosis = id === undefined ? undefined : diagnoses.get(id);
    if (!diagnosis) {
      unknown.push(id ?? '(no transcript id)');
      return { status: 400 as const, message: 'bench: no conversation id in the transcript' };
    }
    const { conversationId: _id, diagnoser: _by, ...toolInput } = diagnosis;
    return { toolInput };
  };
  return { respond, unknown };
}
