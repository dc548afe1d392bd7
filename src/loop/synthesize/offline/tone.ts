import { BEHAVIOUR_TOPICS } from '../../../domain/finding.js';
import type { AgentConfigView } from '../../../patches/agent-config.js';
import type { Finding } from '../../../domain/finding.js';
import type { GuidanceItem, Patch } from '../../../patches/patch.js';
import { findGuidanceIndex } from '../../../patches/guidance-list.js';
import { append, draft, policyProblems, skillOf, skip, type RulesOutcome } from './draft.js';

/**
 * The tone template: a skill told to be terse is told to answer warmly instead; otherwise the
 * agent gains a communication style that acknowledges frustration.
 */

const EMPATHY_STYLE: GuidanceItem = {
  title: 'Complete, courteous replies',
  description:
    'Reply in full sentences with a greeting and the reason behind any request: never a bare instruction. When a shopper is unsure or struggling, explain the next step plainly and offer to help with it.',
  status: 'enabled',
};

/** Directives asking a skill for the shortest answer, which shoppers read as curt. */
const TERSE_DIRECTIVE =
  /\b(?:as few words as possible|be (?:very |extremely )?(?:brief|terse|short)|keep (?:it|answers|replies|responses) (?:very )?(?:short|brief)|(?:answer|reply|respond) in (?:one|a single) sentence|one[- ]sentence (?:answers?|replies|responses)|(?:no|skip the|skip) pleasantries|no small talk)\b/i;
const WARM_LINE =
  'Give complete answers in friendly, full sentences: what the shopper asked, the facts that matter, and what happens next.';

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

/** Style text that asks for cheer or selling in every reply: what clashes with upset shoppers. */
const CHEER_OR_SELL =
  /\b(?:emoji|emojis|exclamation|upbeat|playful|bubbly|cheerful|enthusias\w*|fun|suggest(?:ing)? (?:a |another )?(?:product|bundle|item)|upsell\w*|cross-?sell\w*|promot\w*|recommend (?:a|another) product|always (?:end|close) with)\b/i;

const UPSET_EXCEPTION =
  'When a shopper mentions a death, an illness or injury, money trouble, or is upset or angry: acknowledge it first in plain words, answer only what they asked, and leave out emoji, exclamation marks, jokes, promotions and product suggestions.';

const UPSET_STYLE: GuidanceItem = {
  title: 'Upset shoppers',
  description: UPSET_EXCEPTION,
  status: 'enabled',
};

/**
 * Replies that clash with upset shoppers: the enabled style that asks for cheer or selling gains
 * the exception (it is the cause), or a style for upset shoppers is added.
 */
function upsetShoppersDraft(view: AgentConfigView): RulesOutcome {
  const styles = view.agent.communicationStyles;
  const cause = styles.find((st) => st.status === 'enabled' && CHEER_OR_SELL.test(st.description));
  if (cause !== undefined) {
    if (cause.description.includes(UPSET_EXCEPTION)) {
      return skip(`The communication style "${cause.title}" already has the exception.`);
    }
    const style: GuidanceItem = {
      ...cause,
      description: append(cause.description, UPSET_EXCEPTION, ' '),
    };
    const patch: Patch = { kind: 'agent.communication-style.edit', title: cause.title, style };
    if (policyProblems(patch, view).length === 0) {
      const why = `The communication style "${cause.title}" asks for cheer or selling in every reply, which grieving, hurt or angry shoppers received too; it now makes an exception for them.`;
      return draft(
        patch,
        why,
        'Upset shoppers get plain, attentive answers instead of cheer and sales pitches.',
      );
    }
  }
  if (findGuidanceIndex(styles, UPSET_STYLE.title) >= 0) {
    return skip(`The communication style "${UPSET_STYLE.title}" already exists.`);
  }
  const patch: Patch = { kind: 'agent.communication-style.add', style: UPSET_STYLE };
  const why =
    'Grieving, hurt or angry shoppers were answered cheerfully or with a sales pitch; a style now asks for plain, attentive replies to them.';
  return draft(
    patch,
    why,
    'Upset shoppers get plain, attentive answers instead of cheer and sales pitches.',
  );
}

export function tone(finding: Finding, view: AgentConfigView): RulesOutcome {
  if (finding.topic === BEHAVIOUR_TOPICS.upset) return upsetShoppersDraft(view);
  // A skill told to be terse is the cause; a communication style would not override it.
  const warm = warmSkillDraft(finding, view);
  if (warm !== null) return warm;
  const index = findGuidanceIndex(view.agent.communicationStyles, EMPATHY_STYLE.title);
  if (index >= 0) {
    return skip(`The communication style "${EMPATHY_STYLE.title}" already exists.`);
  }
  // No topic in the text: tone findings on several topics then draft one identical proposal.
  const patch: Patch = { kind: 'agent.communication-style.add', style: EMPATHY_STYLE };
  const why =
    'Shoppers left after bare, curt replies; a communication style asks for complete, courteous ones.';
  return draft(patch, why, 'Fewer shoppers leaving after a curt reply.');
}
