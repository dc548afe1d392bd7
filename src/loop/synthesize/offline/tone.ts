import { BEHAVIOUR_TOPICS } from '../../../domain/finding.js';
import type { AgentConfigView } from '../../../patches/agent-config.js';
import type { Finding } from '../../../domain/finding.js';
import type { GuidanceItem, Patch } from '../../../patches/patch.js';
import { findGuidanceIndex } from '../../../patches/guidance-list.js';
import { wholeWords } from '../../../domain/text.js';
import type { Wording } from '../../../domain/wording.js';
import {
  append,
  draft,
  policyProblems,
  skillOf,
  skillUpdate,
  skip,
  wordingOf,
  type RulesOutcome,
} from './draft.js';

/**
 * The tone template: a skill told to be terse is told to answer warmly instead; otherwise the
 * agent gains a communication style that acknowledges frustration.
 */

/** Directives asking a skill for the shortest answer, which shoppers read as curt. */
const TERSE_DIRECTIVE =
  /\b(?:as few words as possible|be (?:very |extremely )?(?:brief|terse|short)|keep (?:it|answers|replies|responses) (?:very )?(?:short|brief)|(?:answer|reply|respond) in (?:one|a single) sentence|one[- ]sentence (?:answers?|replies|responses)|(?:no|skip the|skip) pleasantries|no small talk)\b/i;
/** The same in French and Spanish: "le moins de mots possible", "en una sola frase". */
const TERSE_DIRECTIVE_ELSEWHERE = wholeWords(
  /le moins de mots possible|(?:[eê]tre|soyez|sois) (?:tr[eè]s )?(?:bref|br[eè]ve|concis[e]?)|(?:r[eé]pondre|r[eé]pondez|r[eé]ponds) en une (?:seule )?phrase|sans (?:formules de )?politesses?|(?:la |lo )?(?:menor cantidad|menos) (?:de )?palabras posibles?|(?:sea|s[eé]) (?:muy )?(?:breve|conciso|concisa)|(?:responder|responde|responda) en una (?:sola )?(?:frase|oraci[oó]n)|sin (?:cortes[ií]as|formalidades|saludos)/iu,
);

/**
 * The instructions with their first terse sentence replaced by `warmLine` and any others taken
 * out (a line left empty goes too); null when they have no terse directive.
 */
function warmInstructions(instructions: string, warmLine: string): string | null {
  let warm = instructions.includes(warmLine);
  let changed = false;
  const lines = instructions.split('\n').flatMap((line) => {
    const sentences = line.match(/[^.!?]*[.!?]+\s*|[^.!?]+$/g) ?? [line];
    const next = sentences.map((sentence) => {
      if (!TERSE_DIRECTIVE.test(sentence) && !TERSE_DIRECTIVE_ELSEWHERE.test(sentence)) {
        return sentence;
      }
      changed = true;
      if (warm) return '';
      warm = true;
      const [lead = ''] = /^\s*(?:[-*•]\s+)?/.exec(sentence) ?? [];
      const [trail = ''] = /\s*$/.exec(sentence) ?? [];
      return `${lead}${warmLine}${trail}`;
    });
    const text = next.join('').trimEnd();
    return line.trim() !== '' && /^\s*[-*•]?\s*$/.test(text) ? [] : [text];
  });
  return changed ? lines.join('\n').trim() : null;
}

/** A terse skill's instructions rewritten to answer warmly, when the policy allows the edit. */
function warmSkillDraft(finding: Finding, view: AgentConfigView): RulesOutcome | null {
  const skill = skillOf(finding, view);
  const warmLine = wordingOf(view).warmLine;
  const instructions = skill === undefined ? null : warmInstructions(skill.instructions, warmLine);
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
  /\b(?:emoji|emojis|exclamation|upbeat|playful|bubbly|cheerful|enthusias\w*|fun|excit\w*|mention (?:\w+ ){0,4}(?:savings|deals|offers|discounts|promotions)|suggest(?:ing)? (?:a |another )?(?:product|bundle|item)|upsell\w*|cross-?sell\w*|promot\w*|recommend (?:a|another) product|always (?:end|close) with)\b/i;
/** The same in French and Spanish: "toujours enjoué", "sugerir otro producto". */
const CHEER_OR_SELL_ELSEWHERE = wholeWords(
  /[eé]mojis?|exclamaci[oó]n|enjou[eé]e?|joyeu(?:x|se)|enthousias\p{L}*|entusias\p{L}*|alegre|divertid[oa]|ludique|promo(?:uvoir|cionar|tion|ci[oó]n)\p{L}*|sugg[eé]rer (?:un|d autres|un autre) produits?|proposer (?:un|d autres|un autre) produits?|sugerir (?:un|otro|otros) productos?|recomendar (?:un|otro|otros) productos?|(?:terminer|finir|terminar|cerrar) (?:toujours|siempre) (?:par|con)/iu,
);

/** Words just before a mention of cheer that limit it instead: "at most one emoji", "sin emojis". */
const RESTRAINED =
  /(?:^|[^\p{L}])(?:at most|no|never|avoid|skip|without|not|limit(?: it)? to|max(?:imum)?|no more than|only|fewer|sans|pas d|jamais|[ée]vite[rz]?|au plus|sin|nunca|evita[r]?|m[áa]ximo|como mucho)(?:\s+[\p{L}\d]+){0,2}\s*$/iu;

/** Both, global, so each mention can be read with what stands before it. */
const CHEER_MENTIONS = [CHEER_OR_SELL, CHEER_OR_SELL_ELSEWHERE].map(
  (pattern) => new RegExp(pattern.source, `${pattern.flags}g`),
);

/** True when a text asks for cheer or selling, not when it only limits it. */
function asksForCheer(text: string): boolean {
  return CHEER_MENTIONS.some((pattern) =>
    [...text.matchAll(pattern)].some(
      (m) => !RESTRAINED.test(text.slice(Math.max(0, m.index - 40), m.index)),
    ),
  );
}

/** What an upset-shoppers fix is expected to change, wherever the exception goes. */
const GENTLER = 'Upset shoppers get plain, attentive answers instead of cheer and sales pitches.';

/**
 * Replies that clash with upset shoppers: what asks for cheer or selling gains the exception (it is
 * the cause): an enabled style, else the instructions of the finding's skill, else those of the one
 * live skill that asks for it (replies follow a skill's steps whatever the topic sounds like).
 * Otherwise a style for upset shoppers is added.
 */
function upsetShoppersDraft(finding: Finding, view: AgentConfigView, say: Wording): RulesOutcome {
  const styles = view.agent.communicationStyles;
  const upsetStyle: GuidanceItem = {
    title: say.upsetStyleTitle,
    description: say.upsetException,
    status: 'enabled',
  };
  const cause = styles.find((st) => st.status === 'enabled' && asksForCheer(st.description));
  if (cause !== undefined) {
    if (cause.description.includes(say.upsetException)) {
      return skip(`The communication style "${cause.title}" already has the exception.`);
    }
    const style: GuidanceItem = {
      ...cause,
      description: append(cause.description, say.upsetException, ' '),
    };
    const patch: Patch = { kind: 'agent.communication-style.edit', title: cause.title, style };
    if (policyProblems(patch, view).length === 0) {
      const why = `The communication style "${cause.title}" asks for cheer or selling in every reply, which grieving, hurt or angry shoppers received too; it now makes an exception for them.`;
      return draft(patch, why, GENTLER);
    }
  }
  const own = skillOf(finding, view);
  const cheerful =
    own !== undefined && asksForCheer(own.instructions)
      ? [own]
      : view.skills.filter((s) => s.status === 'live' && asksForCheer(s.instructions));
  const skill = cheerful.length === 1 ? cheerful[0] : undefined;
  if (skill !== undefined) {
    if (skill.instructions.includes(say.upsetException)) {
      return skip(`The instructions of "${skill.displayName}" already have the exception.`);
    }
    const patch = skillUpdate(skill, 'instructions', say.upsetException);
    if (policyProblems(patch, view).length === 0) {
      const why = `The instructions of "${skill.displayName}" ask for cheer or selling in every reply, which grieving, frightened or angry shoppers received too; they now make an exception for them.`;
      return draft(patch, why, GENTLER);
    }
  }
  if (findGuidanceIndex(styles, upsetStyle.title) >= 0) {
    return skip(`The communication style "${upsetStyle.title}" already exists.`);
  }
  const patch: Patch = { kind: 'agent.communication-style.add', style: upsetStyle };
  const why =
    'Grieving, hurt or angry shoppers were answered cheerfully or with a sales pitch; a style now asks for plain, attentive replies to them.';
  return draft(patch, why, GENTLER);
}

export function tone(finding: Finding, view: AgentConfigView): RulesOutcome {
  const say = wordingOf(view);
  if (finding.topic === BEHAVIOUR_TOPICS.upset) return upsetShoppersDraft(finding, view, say);
  // A skill told to be terse is the cause; a communication style would not override it.
  const warm = warmSkillDraft(finding, view);
  if (warm !== null) return warm;
  const courteous: GuidanceItem = { ...say.courteousStyle, status: 'enabled' };
  const index = findGuidanceIndex(view.agent.communicationStyles, courteous.title);
  if (index >= 0) {
    return skip(`The communication style "${courteous.title}" already exists.`);
  }
  // No topic in the text: tone findings on several topics then draft one identical proposal.
  const patch: Patch = { kind: 'agent.communication-style.add', style: courteous };
  const why =
    'Shoppers left after bare, curt replies; a communication style asks for complete, courteous ones.';
  return draft(patch, why, 'Fewer shoppers leaving after a curt reply.');
}
