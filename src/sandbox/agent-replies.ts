import { contentTokens, firstSentence, words } from './text.js';

/**
 * Fixed phrases and styling rules of the sandbox agent. Kept apart from the decision logic so the
 * wording can change without touching routing, and so tests can refer to the same constants.
 */

/** The sentence the agent uses to offer a human; a "yes" to it hands the conversation off. */
export const OFFER_TEXT = 'Would you like me to connect you with a teammate?';
export const VAGUE_TEXT =
  "I'm not sure about that one, sorry. You may find more details in our policies on the website.";
export const NO_TRANSFER_TEXT =
  "I'm sorry, I'm not able to connect you with a person, but I'm happy to keep helping here.";
export const HANDOFF_TEXT = "I'm connecting you with a member of our team who can help with this.";
export const ASK_ORDER_TEXT =
  "I can check that for you. What's your order number? It starts with SP-.";
export const ACCEPTED_TEXT =
  "Great, I've passed this conversation to our team. Someone will reply here shortly.";
export const DECLINED_TEXT = 'No problem! Is there anything else I can help with?';
export const APOLOGY_TEXT =
  "I'm sorry, I didn't mean to come across as curt. I'm happy to go into more detail: what would you like to know?";
export const CLOSING_TEXT = "You're welcome! Enjoy your time outdoors.";
export const SORRY_TEXT =
  "I'm sorry I couldn't be more helpful. I'm here if you need anything else.";
export const ANYTHING_ELSE_TEXT = 'Is there anything else I can help with?';
export const UNCLEAR_TEXT =
  "Sorry, I didn't catch that. Could you tell me a bit more about what you need?";

/** The reply to a greeting. */
export function greeting(agentName: string | null): string {
  return `Hi! I'm ${agentName ?? 'the assistant'}. How can I help you today?`;
}

const HUMAN_ASK =
  /\b(human|real person|a person|representative|live agent|real agent|someone real|(talk|speak|chat) (to|with) (someone|somebody|an agent|a rep|staff|support|your team))\b/;
const TONE_COMPLAINT =
  /\b(rude|curt|blunt|snippy|dismissive|condescending|attitude|short with me)\b/;
const GIVE_UP =
  /\b(never mind|nevermind|forget it|useless|ugh|not helpful|doesnt help|waste of time)\b/;
const CLOSING_REQUIRED = new Set([
  'thanks',
  'thank',
  'thx',
  'ty',
  'bye',
  'perfect',
  'great',
  'awesome',
  'cheers',
  'appreciate',
  'appreciated',
  'helps',
  'helped',
  'helpful',
]);
const CLOSING_ALLOWED = new Set([
  ...CLOSING_REQUIRED,
  'you',
  'ok',
  'okay',
  'got',
  'it',
  'that',
  'thats',
  'so',
  'much',
  'all',
  'good',
  'nice',
  'have',
  'a',
  'day',
  'the',
  'for',
  'help',
  'your',
  'sounds',
  'cool',
  'super',
  'very',
  'will',
  'do',
  'lovely',
  'really',
  'info',
  'again',
  'oh',
  'ah',
  'makes',
  'sense',
  'wonderful',
  'amazing',
  'excellent',
  'was',
  'exactly',
  'what',
  'i',
  'needed',
  'guess',
]);
const GREETINGS = new Set([
  'hi',
  'hello',
  'hey',
  'there',
  'good',
  'morning',
  'afternoon',
  'evening',
]);
const YES = new Set(['yes', 'yeah', 'yep', 'sure', 'please', 'ok', 'okay']);
const NO = new Set(['no', 'nope', 'nah']);

/** A request to talk to a person ("can I speak to a human"). */
export function isHumanAsk(text: string): boolean {
  return HUMAN_ASK.test(words(text).join(' '));
}

/** The shopper says the agent was rude, curt or blunt. */
export function isToneComplaint(text: string): boolean {
  return TONE_COMPLAINT.test(words(text).join(' '));
}

/** The shopper gives up ("never mind", "useless"). */
export function isGivingUp(text: string): boolean {
  return GIVE_UP.test(words(text).join(' '));
}

/** A short thank-you or goodbye with nothing else in it. */
export function isClosing(text: string): boolean {
  const all = words(text);
  return all.some((w) => CLOSING_REQUIRED.has(w)) && all.every((w) => CLOSING_ALLOWED.has(w));
}

/** Only a greeting ("hi there"). */
export function isGreetingOnly(text: string): boolean {
  const all = words(text);
  return all.length > 0 && all.every((w) => GREETINGS.has(w));
}

/** Yes, no, or neither, for an answer to the handoff offer. */
export function yesOrNo(text: string): 'yes' | 'no' | null {
  const all = words(text);
  if (all.length === 0 || all.length > 6) return null;
  if (all.some((w) => NO.has(w))) return 'no';
  if (all.some((w) => YES.has(w))) return 'yes';
  return null;
}

/** Nothing the agent can read: no letters or digits at all. */
export function isUnintelligible(text: string): boolean {
  return words(text).length === 0;
}

/** An order number from the text: "SP-123456" or "#123456". */
export function findOrderNumber(text: string): string | null {
  const prefixed = /\b([a-z]{2})-(\d{5,6})\b/i.exec(text);
  if (prefixed?.[1] && prefixed[2]) return `${prefixed[1].toUpperCase()}-${prefixed[2]}`;
  const hashed = /#\s?(\d{5,6})\b/.exec(text);
  return hashed?.[1] ? `SP-${hashed[1]}` : null;
}

const ORDER_STATES = [
  'is on its way: it shipped two days ago and should arrive in 2 to 3 business days',
  'was delivered yesterday and left at the front door',
  'is packed and will ship within 24 hours',
  'is out for delivery today',
];

/** A deterministic lookup result for an order number (the same number, the same answer). */
export function orderLookupText(orderNumber: string, toolName: string): string {
  let hash = 0;
  for (const char of orderNumber) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const state = ORDER_STATES[hash % ORDER_STATES.length] ?? ORDER_STATES[0];
  return `I checked order ${orderNumber} with ${toolName}: it ${state}. Tracking number 1Z${(hash % 1e8).toString().padStart(8, '0')}.`;
}

/** What shapes the wording of a knowledge answer. */
export interface StyleContext {
  tonePreset: string;
  agentName: string | null;
  instructions: string;
  communicationStyles: readonly { description: string; status: string }[];
  channel: string;
}

/** True when a skill's instructions ask for the shortest possible answer. */
export function wantsTerse(instructions: string): boolean {
  return /as few words as possible|be brief|one sentence|no pleasantries/i.test(instructions);
}

/**
 * Turns a knowledge answer into the agent's reply: terse skills give only the first sentence,
 * otherwise the tone preset adds an opener; word limits from communication styles apply last.
 */
export function styleAnswer(answer: string, context: StyleContext): string {
  const terse = wantsTerse(context.instructions);
  let text = terse ? firstSentence(answer) : answer;
  if (!terse && context.channel !== 'sms') text = `${tonePrefix(context.tonePreset)}${text}`;
  return applyChannel(applyWordLimit(text, context.communicationStyles), context);
}

function tonePrefix(preset: string): string {
  if (preset === 'friendly') return 'Happy to help! ';
  if (preset === 'playful') return 'Great question! ';
  return '';
}

function applyWordLimit(text: string, styles: StyleContext['communicationStyles']): string {
  let limit = Infinity;
  for (const style of styles) {
    if (style.status !== 'enabled') continue;
    const match = /(?:under|at most|no more than|fewer than|maximum of) (\d+) words/i.exec(
      style.description,
    );
    if (match?.[1]) limit = Math.min(limit, Number(match[1]));
  }
  const parts = text.split(/\s+/);
  return parts.length > limit ? `${parts.slice(0, limit).join(' ')}…` : text;
}

function applyChannel(text: string, context: StyleContext): string {
  if (context.channel !== 'email') return text;
  return `Hi there,\n\n${text}\n\nBest,\n${context.agentName ?? 'The support team'}`;
}

/** Words an escalation rule fires on: its quoted phrases, or its distinctive words. */
export function ruleTriggers(description: string): { phrases: string[]; tokens: Set<string> } {
  const phrases = [...description.matchAll(/["“]([^"”]+)["”]/g)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  );
  const tokens = contentTokens(description);
  for (const generic of RULE_GENERIC_WORDS) tokens.delete(generic);
  return { phrases, tokens };
}

const RULE_GENERIC_WORDS = [
  'shopper',
  'customer',
  'mention',
  'mentions',
  'ask',
  'escalate',
  'hand',
  'handoff',
  'team',
  'human',
  'agent',
  'whenever',
  'talk',
  'conversation',
  'rule',
  'off',
  'says',
  'say',
  'word',
];
