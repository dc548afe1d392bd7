import type { AgentConfigView } from '../../patches/agent-config.js';
import type { FailureCategory } from '../../domain/diagnosis.js';
import type { Finding } from '../../domain/finding.js';
import type { Patch } from '../../patches/patch.js';
import { summarizePatch } from '../../patches/render-diff.js';
import { skip, type Draft, type RulesOutcome } from './offline/draft.js';
import { missedEscalation, unnecessaryEscalation } from './offline/escalation.js';
import { knowledgeGap } from './offline/knowledge.js';
import { instructionGap, wrongSkill } from './offline/skills.js';
import { tone } from './offline/tone.js';

export type { Draft, RulesOutcome } from './offline/draft.js';
import { targetOf } from '../../patches/baseline.js';

/**
 * The offline drafter: one fixed template per failure category, filled only with the finding's
 * cleaned topic and the store's own config, so the loop runs without an LLM. Transcript text
 * never reaches a patch from here: evidence quotes are only matched against the store's escalation
 * rules (to name the one that fired) and stay in the proposal's finding. Facts the system cannot
 * know are `{{fill: …}}` placeholders a person fills before approving. Where a finding has two
 * possible fixes, the policy decides: a draft it would refuse gives way to the other template.
 */

/** `summarizePatch`, naming an edited skill or snippet by its display name rather than its id. */
function titleOf(patch: Patch, view: AgentConfigView): string {
  const summary = summarizePatch(patch);
  const { id, name } = targetOf(patch, view);
  if (id === null || !name || !summary.endsWith(id)) return summary.slice(0, 200);
  return `${summary.slice(0, -id.length)}"${name}"`.slice(0, 200);
}

const TEMPLATES: Record<
  FailureCategory,
  (finding: Finding, view: AgentConfigView) => RulesOutcome
> = {
  knowledge_gap: knowledgeGap,
  wrong_skill: wrongSkill,
  instruction_gap: instructionGap,
  tone,
  missed_escalation: missedEscalation,
  unnecessary_escalation: unnecessaryEscalation,
  tool_failure: () => skip('Tool failures need a person to fix or build the tool; reported only.'),
  other: () => skip('No template for uncategorized failures; reported only.'),
};

/** The rules draft for a finding, or why there is none. Deterministic. */
export function draftByRulesWithReason(finding: Finding, view: AgentConfigView): RulesOutcome {
  const outcome = TEMPLATES[finding.category](finding, view);
  if (outcome.draft === null) return outcome;
  const { companion } = outcome.draft;
  const draft = {
    ...outcome.draft,
    title: titleOf(outcome.draft.patch, view),
    ...(companion === undefined
      ? {}
      : { companion: { ...companion, title: titleOf(companion.patch, view) } }),
  };
  return { ...outcome, draft };
}

/** The rules draft for a finding, or null when its category has no template or nothing to do. */
export function draftByRules(finding: Finding, view: AgentConfigView): Draft | null {
  return draftByRulesWithReason(finding, view).draft;
}
