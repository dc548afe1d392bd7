import { z } from 'zod';
import type { Finding } from '../domain/finding.js';
import type { LlmClient } from './client.js';
import { fence, neutralizeFences } from './fence.js';
import { renderFinding } from './render-finding.js';
import type { LlmUsage } from './types.js';

export const JUDGE_PROMPT = 'judge-replay.v1';

/** The verdict; the reason comes first so that the model argues before it decides. */
export const ClaudeVerdictSchema = z.object({
  reason: z.string().min(1).max(500),
  handled: z.boolean(),
});

export interface JudgeInput {
  accountId: string;
  runId: string;
  finding: Finding;
  /** The shopper's turns of the replayed conversation, in order. */
  shopperTurns: readonly string[];
  /** The agent's reply in preview mode, after the patch. */
  agentReply: string;
  signal?: AbortSignal;
}

export interface JudgeOutput {
  handled: boolean;
  reason: string;
  usage: LlmUsage;
  model: string;
  promptVersion: string;
}

/**
 * Judges whether a replayed reply now handles the finding. The finding is the cached prefix,
 * shared by every replay of it; turns and reply are fenced data.
 */
export async function judgeReplayWithClaude(
  llm: LlmClient,
  input: JudgeInput,
): Promise<JudgeOutput> {
  const turns = input.shopperTurns
    .map(
      (turn, i) =>
        `<message index="${i + 1}" role="shopper">\n${neutralizeFences(turn)}\n</message>`,
    )
    .join('\n');
  const result = await llm.structured(
    {
      stage: 'judge',
      system: { cached: renderFinding(input.finding) },
      prompt: {
        name: JUDGE_PROMPT,
        vars: {
          transcript: `<transcript>\n${turns}\n</transcript>`,
          agent_reply: fence('agent_reply', input.agentReply),
        },
      },
      output: ClaudeVerdictSchema,
      toolName: 'record_verdict',
      toolDescription: 'Record whether the new reply handles the finding.',
      maxTokens: 512,
      accountId: input.accountId,
      runId: input.runId,
    },
    input.signal ? { signal: input.signal } : {},
  );
  return {
    handled: result.value.handled,
    reason: result.value.reason,
    usage: result.usage,
    model: result.model,
    promptVersion: result.promptVersion,
  };
}
