import { z } from 'zod';
import type { Finding } from '../domain/finding.js';
import { PatchSchema, type Patch } from '../patches/patch.js';
import { renderAgentContext, type AgentContext } from './agent-context.js';
import type { LlmClient } from './client.js';
import { fence } from './fence.js';
import { renderFinding } from './render-finding.js';
import type { LlmUsage } from './types.js';

export const DRAFT_PROMPT = 'draft-patch.v4';

/** One change as Claude writes it; reasons come before the patch so that they are written first. */
const ClaudeChangeSchema = z.object({
  title: z.string().min(1).max(120),
  rationale: z.string().min(1).max(2000),
  expectedImpact: z.string().min(1).max(500),
  patch: PatchSchema,
});

/** What Claude fills in: the change, and for a wrong skill the taking skill's side. */
export const ClaudeDraftSchema = ClaudeChangeSchema.extend({
  companion: ClaudeChangeSchema.optional(),
});
export type ClaudeChange = z.infer<typeof ClaudeChangeSchema>;

export interface DraftInput {
  accountId: string;
  runId: string;
  agentContext: AgentContext;
  finding: Finding;
  /** Current state (JSON) of what the patch may touch, e.g. the skill with its instructions. */
  targetConfig: unknown;
  /** Why people rejected recent changes to the same target, so they are not drafted again. */
  rejections?: readonly string[];
  signal?: AbortSignal;
}

export interface DraftOutput {
  patch: Patch;
  title: string;
  rationale: string;
  expectedImpact: string;
  /** A wrong skill's other side, when Claude drafted one (checked by the policy like the patch). */
  companion?: ClaudeChange;
  usage: LlmUsage;
  model: string;
  promptVersion: string;
}

/**
 * Drafts one patch for a finding (and for a wrong skill, maybe the other side's). The output is only a candidate: the policy in code decides
 * whether it may be proposed (the prompt's rules are a first line, not the guard).
 */
export async function draftPatchWithClaude(
  llm: LlmClient,
  input: DraftInput,
): Promise<DraftOutput> {
  const result = await llm.structured(
    {
      stage: 'draft',
      system: { cached: renderAgentContext(input.agentContext) },
      prompt: {
        name: DRAFT_PROMPT,
        vars: {
          finding: renderFinding(input.finding),
          target_config: fence(
            'target_config',
            JSON.stringify(input.targetConfig ?? null, null, 2),
          ),
          rejections: fence(
            'rejections',
            (input.rejections ?? []).map((r) => `- ${r}`).join('\n') || '(none)',
          ),
        },
      },
      output: ClaudeDraftSchema,
      toolName: 'propose_patch',
      toolDescription: 'Propose one configuration patch that fixes the finding.',
      maxTokens: 4096,
      accountId: input.accountId,
      runId: input.runId,
    },
    input.signal ? { signal: input.signal } : {},
  );
  const { patch, title, rationale, expectedImpact, companion } = result.value;
  return {
    patch,
    title,
    rationale,
    expectedImpact,
    ...(companion === undefined ? {} : { companion }),
    usage: result.usage,
    model: result.model,
    promptVersion: result.promptVersion,
  };
}
