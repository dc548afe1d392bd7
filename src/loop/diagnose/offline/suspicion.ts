import type { Suspicion } from '../../../domain/diagnosis.js';
import { quoteOf, type Turn } from './evidence.js';

/**
 * Shopper messages written to steer this loop rather than to get help: instructions addressed to
 * whoever (or whatever) reviews, trains or summarizes the agent's chats, impersonated system
 * notices, requests to override instructions, and requests to rewrite the agent's rules or
 * knowledge. Recognised by their structure — an addressee outside the conversation plus a
 * directive, or a change to the configuration asked for — not by one sentence. Such a conversation
 * is listed for a person and never feeds a finding.
 */

/** Someone other than the assistant the shopper is chatting with: a reviewer, a trainer, a model. */
const META_AUDIENCE = new RegExp(
  [
    // "whoever trains this bot", "the AI that reads these chats", "anyone who reviews this"
    String.raw`\b(?:whoever|anyone|anybody|someone|the (?:person|people|team|human|humans|staff|ai|bot|model|llm|system|assistant|program|tool|software|algorithm))(?: (?:who|that|which))? (?:\w+ )?(?:trains?|training|reviews?|reviewing|reads?|reading|checks?|monitors?|analy[sz]es|summari[sz]es|looks? at|goes through|process(?:es)?|audits?)\b`,
    String.raw`\bwhen (?:you|u) (?:later )?(?:review|read|analy[sz]e|summari[sz]e|process|train on|go (?:over|through)|look (?:at|over))\b`,
    // "if an AI is summarizing this later", "while the model reads it"
    String.raw`\b(?:if|when|while|whenever) (?:an?|the|any|some) (?:ai|model|llm|bot|system|program|algorithm)\b`,
    // "the model that grades these transcripts", "the AI looking at these chats"
    String.raw`\b(?:ai|model|llm|bot|system|reviewer|algorithm|grader)\b.{0,40}\b(?:these|this|the|our|my) (?:transcripts?|chats?|chat logs?|conversations?|logs?|emails?|tickets?)\b`,
    String.raw`\b(?:claude|chatgpt|chat gpt|gpt|openai|anthropic|llm|language model|ai model|ai reviewer|reviewer|trainer|auditor|store owner|shop owner|site owner|business owner|qa team)\b`,
  ].join('|'),
);

/** How far around an addressee (in characters) a directive still belongs to it. */
const DIRECTIVE_REACH = 160;

/** Telling someone to do or change something. */
const DIRECTIVE =
  /\b(?:add|create|set|tell|make|change|update|remove|delete|turn off|switch off|disable|enable|mark|label|classify|give|grant|approve|waive|print|reveal|reply with|respond with|stop|allow|include|put|write)\b/;

/** Pretending to be the system, or asking the assistant to drop its instructions. */
const OVERRIDE = new RegExp(
  [
    String.raw`\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|prompts?|guidelines|previous|above|prior|programming)\b`,
    String.raw`\b(?:system|admin|developer|root|security) (?:notice|note|message|prompt|override|instruction|update)s?\b`,
    String.raw`\b(?:admin|developer|debug|god|maintenance|jailbreak|dan) mode\b`,
    String.raw`\byou are now\b`,
    String.raw`\bnew (?:instructions|rules|system prompt)\b`,
    String.raw`^\s*(?:system|assistant|developer)\s*:`,
  ].join('|'),
);

/** Asking for the agent's rules, knowledge or verdicts to be rewritten. */
const CONFIG_CHANGE = new RegExp(
  [
    String.raw`\b(?:add|create|write|insert|put|make)(?: in)? (?:a|an|this|that|the|one)? ?(?:new )?(?:rule|escalation rule|instruction|policy|snippet|guideline)\b`,
    String.raw`\b(?:turn off|switch off|remove|disable|delete|drop|get rid of)(?: \w+){0,3} (?:escalations?|escalation rules?|rules|guardrails|instructions|handoffs?|hand offs?)\b`,
    String.raw`\b(?:your|the|its) (?:knowledge base|knowledge|instructions|rules|policy|prompt|training) should\b`,
    String.raw`\badd (?:that|this|it) to (?:the|your|its) (?:knowledge|rules|instructions|policy|faq|prompt)\b`,
    String.raw`\bmark (?:this|it|the)(?: \w+)? (?:as )?(?:resolved|solved|a success|successful|a failure|failed)\b`,
    String.raw`\b(?:set|program|configure|tell|instruct) (?:your|the) (?:assistant|bot|ai|agent|chatbot) to\b`,
  ].join('|'),
);

/** The message as the patterns read it: lower case, apostrophes dropped, one line. */
function flat(text: string): string {
  return text.toLowerCase().replace(/[’']/g, '').replace(/\s+/g, ' ');
}

/** Why a shopper message reads as an attempt to steer the loop, or null. */
export function suspicionReason(text: string): string | null {
  const line = flat(text);
  if (OVERRIDE.test(line))
    return 'asks the assistant to drop its instructions or poses as the system';
  if (CONFIG_CHANGE.test(line))
    return "asks for the agent's rules, knowledge or verdicts to be changed";
  // The directive may open the sentence ("tell whoever trains it…") or follow the address.
  for (const match of line.matchAll(new RegExp(META_AUDIENCE.source, 'g'))) {
    const around = line.slice(
      Math.max(0, match.index - DIRECTIVE_REACH / 2),
      match.index + DIRECTIVE_REACH,
    );
    if (DIRECTIVE.test(around))
      return 'addresses instructions to whoever reviews or trains the agent';
  }
  return null;
}

/** The first shopper message that tries to steer the loop, as a suspicion, or null. */
export function findSuspicion(turns: readonly Turn[]): Suspicion | null {
  for (const turn of turns) {
    if (turn.role !== 'user') continue;
    const reason = suspicionReason(turn.text);
    const evidence = reason ? quoteOf(turn) : null;
    if (reason && evidence) return { reason: `The shopper ${reason}.`, evidence };
  }
  return null;
}
