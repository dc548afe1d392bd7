import type { AgentConfigView } from '../../../domain/agent-config.js';
import type { Finding } from '../../../domain/finding.js';
import type { GuidanceItem, Patch } from '../../../patches/patch.js';
import { findGuidanceIndex } from '../../../patches/render-diff.js';
import { draft, policyProblems, skillOf, skip, type RulesOutcome } from './draft.js';

/**
 * The tone template: a skill told to be terse is told to answer warmly instead; otherwise the
 * agent gains a communication style that acknowledges frustration.
 */

const EMPATHY_STYLE: GuidanceItem = {
  title: 'Acknowledge frustration before answering',
  description:
    'When a shopper sounds frustrated or upset, acknowledge it in one short, sincere sentence before answering, then get to the point.',
  status: 'enabled',
};

/** Directives asking a skill for the shortest answer, which shoppers read as curt. */
const TERSE_DIRECTIVE =
  /\b(?:as few words as possible|be (?:very |extremely )?(?:brief|terse|short)|keep (?:it|answers|replies|responses) (?:very )?(?:short|brief)|(?:answer|reply|respond) in (?:one|a single) sentence|one[- ]sentence (?:answers?|replies|responses)|(?:no|skip the|skip) pleasantries|no small talk)\b/i;
const WARM_LINE = 'Answer warmly and completely, with the details the shopper needs.';

/**
 * The instructions with their first terse sentence replaced by `WARM_LINE` and any others taken
 * out (a line left empty goes too); null when they have no terse directive.
 */
function warmInstructions(instructions: string): string | null {
  let warm = instructions.includes(WARM_LINE);
  let changed = false;
  const lines = instructions.split('\n').flatMap((line) => {
    const sentences = line.match(/[^.!?]*[.!?]+\s*|[^.!?]+$/g) ?? [line];
    const next = sentences.map((sentence) => {
      if (!TERSE_DIRECTIVE.test(sentence)) return sentence;
      changed = true;
      if (warm) return '';
      warm = true;
      const [lead = ''] = /^\s*(?:[-*•]\s+)?/.exec(sentence) ?? [];
      const [trail = ''] = /\s*$/.exec(sentence) ?? [];
      return `${lead}${WARM_LINE}${trail}`;
    });
    const text = next.join('').trimEnd();
    return line.trim() !== '' && /^\s*[-*•]?\s*$/.test(text) ? [] : [text];
  });
  return changed ? lines.join('\n').trim() : null;
}

/** A terse skill's instructions rewritten to answer warmly, when the policy allows the edit. */
function warmSkillDraft(finding: Finding, view: AgentConfigView): RulesOutcome | null {
  const skill = skillOf(finding, view);
  const instructions = skill === undefined ? null : warmInstructions(skill.instructions);
  if (skill === undefined || instructions === null || instructions === skill.instructions) {
    return null;
  }
  const patch: Patch = { kind: 'skill.update', skillId: skill.id, changes: { instructions } };
  if (policyProblems(patch, view).length > 0) return null;
  const why = `The instructions of "${skill.displayName}" ask for the shortest possible answer, which shoppers read as curt; they now ask for warm, complete answers.`;
  return draft(patch, why, `Shoppers get complete, friendly answers from "${skill.displayName}".`);
}

export function tone(finding: Finding, view: AgentConfigView): RulesOutcome {
  // A skill told to be terse is the cause; a communication style would not override it.
  const warm = warmSkillDraft(finding, view);
  if (warm !== null) return warm;
  const index = findGuidanceIndex(view.agent.communicationStyles, EMPATHY_STYLE.title);
  if (index >= 0) {
    return skip(`The communication style "${EMPATHY_STYLE.title}" already exists.`);
  }
  // No topic in the text: tone findings on several topics then draft one identical proposal.
  const patch: Patch = { kind: 'agent.communication-style.add', style: EMPATHY_STYLE };
  const why = 'A communication style asks the agent to acknowledge frustration first.';
  return draft(patch, why, 'Fewer frustrated shoppers asking for a person.');
}
