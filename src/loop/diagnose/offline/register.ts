import { spacedWords, words } from '../../../domain/text.js';

/**
 * How an agent reply sounds, whatever it says: cheerful (emoji, exclamation, jokes), selling
 * (an upsell or a promotion), or curt (a bare instruction with no courtesy). Read against the
 * shopper's state, these are what makes a reply's tone fit or clash.
 */

const EMOJI = /\p{Extended_Pictographic}/gu;

const SELLING = new RegExp(
  [
    String.raw`\b(?:\d+ percent off|on sale|sale is on|sale ends|deals|bundle|black friday|cyber monday|flash sale|limited time)\b`,
    String.raw`\b(?:add (?:it |one |them |the \w+ |this |that )?to (?:your |the )?(?:cart|basket|order)|while (?:youre|you are) (?:here|at it)|before you go|treat yourself|dont forget (?:to|our|about)|(?<!\b(?:what|whatever|if|how|when|which|whether|where) )you (?:might|may|would|will) (?:also )?(?:like|love|enjoy)|check out (?:our|the)|why not (?:add|try|grab|join|pick)|grab (?:a|one|the|our)|join (?:the|our)|sign up for|upgrade to|pair (?:it|them) with|complete the look|best ?seller|new arrivals?|restocked|just for you|perfect time to|great time to|wonderful time to)\b`,
  ].join('|'),
);

const LEVITY = /\b(?:haha|hehe|lol|lmao|oops|whoops|yay|woohoo)\b/;

/** Emoji in a reply. */
export function emojiCount(text: string): number {
  return text.match(EMOJI)?.length ?? 0;
}

/** The reply sells: a promotion, an upsell, a cross-sell. */
export function sells(text: string): boolean {
  return SELLING.test(spacedWords(text)) || /\d\s?%\s?off\b|\bsave (?:[$£€]\s?)?\d/i.test(text);
}

/** The reply is bright: emoji, several exclamation marks, or light-hearted phrases. */
export function cheerful(text: string): boolean {
  return (
    emojiCount(text) > 0 || (text.match(/!/g)?.length ?? 0) >= 2 || LEVITY.test(spacedWords(text))
  );
}

const COURTESY =
  /\b(?:please|thanks|thank|sorry|apolog\w*|happy to|glad to|of course|certainly|hi|hello|dear|welcome|understand|appreciate|help)\b/;

/**
 * A bare instruction or statement of a few words, with no courtesy at all. An email's greeting
 * and sign-off are its frame, not courtesy: "Hi Edna, / See Account > Orders. / Best, Iris" is curt.
 */
export function curt(text: string): boolean {
  const body = bodyOf(text);
  const all = words(body);
  return all.length > 0 && all.length <= 7 && !COURTESY.test(spacedWords(body));
}

const GREETING_LINE =
  /^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^.!?\n]{0,40}[,!.:]?\s*$/i;
const SIGN_OFF_LINE =
  /^\s*(?:best|best wishes|kind regards|warm regards|regards|cheers|sincerely|warmly|all the best|take care|(?:thanks|thank you)(?: (?:so|very) much)?(?: (?:again|in advance|for (?:your|all your|the) help))?|many thanks)[,!.]?\s*$/i;

/** A one-line email's frame: "Hi Dot, … Warmly, Hazel from Bloom & Bough". */
const INLINE_GREETING =
  /^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))(?: [A-Z][\w'’-]*)?\s*[,!:]\s*/i;
const INLINE_SIGN_OFF =
  /(?:\s*(?:best|kind regards|warm regards|regards|cheers|sincerely|warmly|take care|thanks|thank you)[,!.]?)?\s+(?:[-–—]\s*)?[A-Z][\w'’-]* (?:from|at) (?:the )?[A-Z][\w&'’ .-]*\s*$/;

/** A signature line: "Hazel from Bloom & Bough", "Rivet, Torque & Trail support". */
const SIGNATURE_LINE =
  /^\s*(?:[-–—]\s*)?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?\s*(?:from|at|,|·|\||[-–—])\s*(?:the )?[A-Z][\w&'’ .-]*$/;

/**
 * A message without its greeting line and everything from its sign-off line on (or a last line
 * that only signs it): what the agent actually said.
 */
export function bodyOf(text: string): string {
  const lines = text.split(/\n+/).filter((line) => line.trim() !== '');
  if (lines.length < 2) return text.replace(INLINE_GREETING, '').replace(INLINE_SIGN_OFF, '');
  const start = GREETING_LINE.test(lines[0] ?? '') ? 1 : 0;
  const signOff = lines.findIndex((line, i) => i > start && SIGN_OFF_LINE.test(line));
  const end = signOff === -1 ? lines.length : signOff;
  const signed = end - 1 > start && SIGNATURE_LINE.test(lines[end - 1] ?? '') ? end - 1 : end;
  return lines.slice(start, signed).join('\n');
}
