import type { Patch } from '../../patches/patch.js';
import { PLACEHOLDER_PATTERN, patchTextFields } from '../../domain/placeholders.js';
import { QUOTED_PHRASE } from '../../domain/rule-triggers.js';
import { DRAFTER_WORDING } from '../../domain/wording.js';
import { contentTokens, squash, stemmedSequence, STOP_WORDS, words } from '../../domain/text.js';
import { configText, fieldName, originalTexts, violation } from './fields.js';
import type { PolicyContext, PolicyViolation } from './policy.js';

/**
 * Provenance of a patch's new text. A patch may add only what the drafter composed from the
 * configuration (and the finding's topic, which names the subject) and what a person typed as a
 * fill; the shoppers' messages are data, never a source of guidance. So each sentence a patch adds
 * is compared with the shoppers' messages of the finding's evidence, word by stemmed word
 * (src/domain/text.ts): a sentence made mostly of their words, an instruction whose words the
 * config lacks come from them, or a run of their words copied verbatim is refused, however it is
 * phrased. The quoted trigger phrases of an escalation rule are the one exception: a rule quotes
 * what shoppers say so that it fires on it. Placeholders are left out (a person replaces them).
 */

/** A sentence this long or longer is judged by its share of shopper words. */
const MIN_SENTENCE_TOKENS = 4;
/** Share of a sentence's words that, coming from the shoppers, make it theirs. */
const COPIED_SHARE = 0.6;
/** Words from the shoppers (not the config's or the topic's) that give them away. */
const MIN_SHOPPER_ONLY = 2;
/** An instruction whose own words come from the shoppers this much is theirs. */
const INSTRUCTION_SHOPPER_ONLY = 3;
const INSTRUCTION_SHARE = 1 / 3;
/** A run of this many words (stop words included) copied from one shopper message. */
const VERBATIM_RUN = 6;

/**
 * Sentences that tell the agent to do something: an imperative opening (after an optional "when …,"
 * or "if …," clause), or words that address or bind it. Config text is read by the agent, so this
 * errs wide; it only decides which threshold a sentence is held to.
 */
const INSTRUCTION =
  /^(?:[-*•]\s*)?(?:(?:when|if|whenever|once|for)\b[^,]{0,80},\s*)?(?:please\s+)?(?:give|tell|say|offer|share|promise|send|let|make|ensure|treat|approve|waive|skip|honou?r|grant|apply|add|remove|stop|ignore|use|reply|answer|respond|refund|provide|mention|inform|accept|allow|close|escalate|hand|transfer|do|be|act|play|pretend|keep|always|never)\b|\b(?:always|never|must|should|from now on|make sure|be sure|you|your|agent|assistant|ai|bot|chatbot)\b/i;

/** A sentence, and why it is the shoppers' (null when it is not). */
interface SentenceJudgement {
  sentence: string;
  shopperWords: string[];
}

/** The shoppers' side of the evidence: their words, and each message as a stemmed sequence. */
interface ShopperText {
  tokens: Set<string>;
  sequences: string[];
}

function shopperText(context: PolicyContext): ShopperText {
  const messages = context.transcripts.filter((m) => m.role !== 'agent').map((m) => m.content);
  return {
    tokens: contentTokens(messages.join('\n')),
    sequences: messages.map((m) => ` ${stemmedSequence(m).join(' ')} `),
  };
}

/** Text a drafter or a person wrote that the check leaves out: placeholders, fills, and quoted triggers. */
function withoutExempt(text: string, field: string, fills: readonly string[]): string {
  let out = text.replace(PLACEHOLDER_PATTERN, ' ');
  for (const fill of fills) if (fill.trim() !== '') out = out.split(fill).join(' ');
  // Escalation rules quote what shoppers say on purpose: the phrases they fire on.
  return field === 'rule.description' ? out.replace(QUOTED_PHRASE, ' ') : out;
}

const sentencesOf = (text: string): string[] =>
  text
    .split(/[.!?;\n]+(?:\s|$)|\n/)
    .map(squash)
    .filter((s) => s !== '');

/** The run of `sentence`'s stemmed words, `VERBATIM_RUN` long, that a shopper message has too. */
function copiedRun(sentence: string, shopper: ShopperText): string[] | null {
  const seq = stemmedSequence(sentence);
  for (let i = 0; i + VERBATIM_RUN <= seq.length; i += 1) {
    const run = seq.slice(i, i + VERBATIM_RUN);
    const needle = ` ${run.join(' ')} `;
    if (shopper.sequences.some((m) => m.includes(needle))) return run;
  }
  return null;
}

function judge(
  sentence: string,
  shopper: ShopperText,
  trusted: ReadonlySet<string>,
): SentenceJudgement | null {
  const tokens = [...contentTokens(sentence)];
  const echoed = tokens.filter((t) => shopper.tokens.has(t));
  const own = tokens.filter((t) => !trusted.has(t));
  const shopperOnly = echoed.filter((t) => !trusted.has(t));
  const copied =
    tokens.length >= MIN_SENTENCE_TOKENS &&
    echoed.length >= tokens.length * COPIED_SHARE &&
    shopperOnly.length >= MIN_SHOPPER_ONLY;
  const instructed =
    INSTRUCTION.test(sentence) &&
    shopperOnly.length >= INSTRUCTION_SHOPPER_ONLY &&
    shopperOnly.length >= own.length * INSTRUCTION_SHARE;
  const run = copied || instructed ? null : copiedRun(sentence, shopper);
  const runOwn =
    run === null ? [] : [...contentTokens(run.join(' '))].filter((t) => !trusted.has(t));
  if (!copied && !instructed && runOwn.length < MIN_SHOPPER_ONLY) return null;
  return { sentence, shopperWords: copied || instructed ? shopperOnly : runOwn };
}

/** The sentences of `text` that `original` (the field's current text) does not have. */
function newSentences(text: string, original: string | null): string[] {
  const before = new Set(sentencesOf(original ?? '').map((s) => s.toLowerCase()));
  return sentencesOf(text).filter((s) => !before.has(s.toLowerCase()));
}

/** The shopper words of a judgement as the sentence spells them, for the message. */
function spelled(judgement: SentenceJudgement): string {
  const stems = new Set(judgement.shopperWords);
  const shown = words(judgement.sentence).filter(
    (w) => !STOP_WORDS.has(w) && [...contentTokens(w)].some((t) => stems.has(t)),
  );
  return [...new Set(shown)].slice(0, 6).join(', ');
}

/** One `injection` violation per field whose new text comes from the shoppers' messages. */
export function provenanceViolations(patch: Patch, context: PolicyContext): PolicyViolation[] {
  const shopper = shopperText(context);
  if (shopper.tokens.size === 0) return [];
  const trusted = contentTokens(
    `${configText(context)}\n${context.topic ?? ''}\n${DRAFTER_WORDING}`,
  );
  const originals = originalTexts(patch, context);
  const found: PolicyViolation[] = [];
  for (const { field, text } of patchTextFields(patch)) {
    const checked = withoutExempt(text, field, context.fills ?? []);
    const original = originals[field] ?? null;
    for (const sentence of newSentences(checked, original)) {
      const judgement = judge(sentence, shopper, trusted);
      if (judgement === null) continue;
      const excerpt = sentence.length > 80 ? `${sentence.slice(0, 77)}…` : sentence;
      const message = `"${excerpt}" in the ${fieldName(field)} follows the shoppers' messages (${spelled(judgement)}) rather than the configuration; a patch may add only the drafter's own wording and a person's fills, so remove it or leave the fact as a {{fill: …}} placeholder.`;
      found.push(violation('injection', message, field));
      break;
    }
  }
  return found;
}
