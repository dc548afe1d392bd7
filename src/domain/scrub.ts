/**
 * Personal-data detection and scrubbing for text that came from (or was drafted from) shoppers'
 * conversations. Detection is deliberately pattern-based and conservative about what it calls a
 * phone number: config text is full of prices, dates, years and SKUs, and scrubbing those would
 * break the patches we draft. The policy (policy.ts) decides what to do with the matches.
 */

export type PersonalDataKind =
  'email' | 'phone' | 'order_number' | 'card_number' | 'address' | 'name';

/** One piece of personal data found in a text. */
export interface PersonalDataMatch {
  kind: PersonalDataKind;
  /** The matched text, verbatim. */
  text: string;
  /** Normalized value (lowercased email, digits of a phone, id of an order), for comparing texts. */
  value: string;
  index: number;
}

export interface ScrubOptions {
  /** Personal names to find, whole-word and case-insensitive (e.g. from `extractShopperNames`). */
  names?: readonly string[];
  /** Known order ids (e.g. seen in a transcript) to find even where no "order"/"#" precedes them. */
  orderNumbers?: readonly string[];
  /** Keep only the matches this accepts (the policy keeps the ones seen in transcripts). */
  filter?: (match: PersonalDataMatch) => boolean;
}

/** The replacement text for each kind. */
export const PERSONAL_DATA_LABELS: Record<PersonalDataKind, string> = {
  email: '[email]',
  phone: '[phone]',
  order_number: '[order number]',
  card_number: '[card number]',
  address: '[address]',
  name: '[name]',
};

// Lookarounds instead of \b so that parts of SKUs ("TNT-200-1234") and words never match.
const EDGE_START = String.raw`(?<![\w@#-])`;
const EDGE_END = String.raw`(?![\w-])`;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const CARD = new RegExp(
  `${EDGE_START}(?:\\d{4}[ -]\\d{4}[ -]\\d{4}[ -]\\d{1,7}|\\d{4}[ -]\\d{6}[ -]\\d{5}|\\d{13,19})${EDGE_END}`,
  'g',
);
const ORDER_ID = String.raw`[A-Z]{0,4}-?\d{4,12}(?:-\d{1,6})?`;
const ORDER_PATTERNS = [
  // "order no. AB-10423", "order number: 123456789", "order #10423", "order ID 55501"
  new RegExp(
    String.raw`\border(?:\s+(?:no\.?|num(?:ber)?\.?|id|#)(?:\s+is)?|\s*#)\s*[:#]?\s*(${ORDER_ID})${EDGE_END}`,
    'gi',
  ),
  // "order 10423", "orders 104231" — five digits or more, so that "order 2026" (a year) stays
  new RegExp(String.raw`\borders?\s+(?:is\s+)?([A-Z]{0,4}-?\d{5,12})${EDGE_END}`, 'gi'),
  // "#10423", "#AB-10423"
  new RegExp(String.raw`(?<![\w&])#\s?(${ORDER_ID})${EDGE_END}`, 'gi'),
];
const SEP = String.raw`[\s.-]?`;
const PHONE_PATTERNS = [
  // International with a plus: +44 20 7946 0958, +1 (415) 555-0134, +49-30-123456
  new RegExp(String.raw`\+\d{1,3}(?:${SEP}\(?\d{1,4}\)?){2,5}${EDGE_END}`, 'g'),
  // US: (415) 555-0134, 415.555.0134, 1-800-555-0199, 4155550134
  new RegExp(
    `${EDGE_START}(?:1${SEP})?(?:\\(\\d{3}\\)\\s?|\\d{3}${SEP})\\d{3}${SEP}\\d{4}${EDGE_END}`,
    'g',
  ),
  // National with a trunk 0: 020 7946 0958, 07700 900123
  new RegExp(`${EDGE_START}0\\d{2,4}${SEP}\\d{3,4}${SEP}\\d{3,6}${EDGE_END}`, 'g'),
  // A local number only where the text says it is one: "call me at 555-0134"
  /(?<=\b(?:call|phone|text|tel|cell|mobile|number)(?:\s+(?:me|is))?(?:\s+(?:at|on))?:?\s*)\d{3}[-.\s]\d{4}(?![\w-])/gi,
];
const STREET_SUFFIX =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Circle|Highway|Hwy|Parkway|Pkwy';
const ADDRESS = new RegExp(
  String.raw`\b\d{1,6}\s+(?:[A-Z][a-z]+\.?\s+){1,4}(?:${STREET_SUFFIX})\b\.?(?:,?\s*(?:Apt|Unit|Suite|#)\.?\s*[\w-]+)?`,
  'g',
);

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** US numbers are compared without their country code, so "+1 415…" equals "(415)…". */
function normalizePhone(text: string): string {
  const digits = digitsOf(text);
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

function normalizeOrder(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function wholeWord(phrase: string): RegExp {
  const body = phrase
    .trim()
    .split(/\s+/)
    .map(escapeRegExp)
    .join(String.raw`\s+`);
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'giu');
}

/** An order id however it is punctuated: "AB10423" also finds "AB-10423" and "ab 10423". */
function looseId(id: string): RegExp {
  const body = [...normalizeOrder(id)].map(escapeRegExp).join(String.raw`[-\s]?`);
  return new RegExp(`(?<![\\p{L}\\p{N}_-])${body}(?![\\p{L}\\p{N}_-])`, 'giu');
}

function collect(
  text: string,
  pattern: RegExp,
  kind: PersonalDataKind,
  normalize: (m: RegExpMatchArray) => string | null,
): PersonalDataMatch[] {
  const found: PersonalDataMatch[] = [];
  for (const m of text.matchAll(pattern)) {
    const value = normalize(m);
    if (value !== null) found.push({ kind, text: m[0], value, index: m.index });
  }
  return found;
}

function phoneValue(m: RegExpMatchArray): string | null {
  const digits = digitsOf(m[0]);
  const plain = /^\d+$/.test(m[0]);
  // A bare digit run is a phone only when it has a US number's length; others are ids or amounts.
  if (plain && !(digits.length === 10 || (digits.length === 11 && digits.startsWith('1')))) {
    return null;
  }
  if (digits.length < 7 || digits.length > 15) return null;
  return normalizePhone(m[0]);
}

/** Name parts that are also everyday words are not scrubbed on their own ("May", "Will"). */
function nameVariants(names: readonly string[]): string[] {
  const variants = new Set<string>();
  for (const name of names) {
    const trimmed = name.trim();
    if (trimmed.length < 2) continue;
    variants.add(trimmed);
    for (const part of trimmed.split(/\s+/)) {
      if (part.length >= 2 && !COMMON_WORDS.has(part.toLowerCase())) variants.add(part);
    }
  }
  // Longest first, so "Jane Doe" wins over "Jane".
  return [...variants].sort((a, b) => b.length - a.length);
}

function candidates(text: string, options: ScrubOptions): PersonalDataMatch[] {
  const orderValue = (m: RegExpMatchArray): string => normalizeOrder(m[1] ?? m[0]);
  return [
    ...collect(text, EMAIL, 'email', (m) => m[0].toLowerCase()),
    ...collect(text, CARD, 'card_number', (m) => digitsOf(m[0])),
    ...ORDER_PATTERNS.flatMap((p) => collect(text, p, 'order_number', orderValue)),
    ...(options.orderNumbers ?? [])
      .filter((id) => normalizeOrder(id).length >= 4)
      .flatMap((id) => collect(text, looseId(id), 'order_number', () => normalizeOrder(id))),
    ...PHONE_PATTERNS.flatMap((p) => collect(text, p, 'phone', phoneValue)),
    ...collect(text, ADDRESS, 'address', (m) => m[0].toLowerCase().replace(/\s+/g, ' ')),
    ...nameVariants(options.names ?? []).flatMap((n) =>
      collect(text, wholeWord(n), 'name', (m) => m[0].toLowerCase().replace(/\s+/g, ' ')),
    ),
  ];
}

/**
 * Finds personal data in `text` without changing it. Where matches overlap, the first found wins,
 * kinds in the order email, card, order number, phone, address, name (so an email's digits are not
 * also a phone). A match the filter rejects still claims its text.
 */
export function findPersonalData(text: string, options: ScrubOptions = {}): PersonalDataMatch[] {
  const claimed: PersonalDataMatch[] = [];
  for (const candidate of candidates(text, options)) {
    const end = candidate.index + candidate.text.length;
    const overlaps = claimed.some(
      (a) => candidate.index < a.index + a.text.length && a.index < end,
    );
    if (!overlaps) claimed.push(candidate);
  }
  const kept = options.filter ? claimed.filter(options.filter) : claimed;
  return kept.sort((a, b) => a.index - b.index);
}

/**
 * Replaces personal data with labels such as `[email]` and `[phone]`. `found` lists the kinds
 * replaced (each once), so callers can say what was removed without repeating it.
 */
export function scrubPersonalData(
  text: string,
  options: ScrubOptions = {},
): { text: string; found: PersonalDataKind[] } {
  const matches = findPersonalData(text, options);
  let result = text;
  for (const match of [...matches].reverse()) {
    const end = match.index + match.text.length;
    result = result.slice(0, match.index) + PERSONAL_DATA_LABELS[match.kind] + result.slice(end);
  }
  return { text: result, found: [...new Set(matches.map((m) => m.kind))] };
}

// Words that follow "I'm"/"this is" or end a message far more often than names do.
const COMMON_WORDS = new Set(
  (
    'a an the i me my mine you your we us our they them their he him his she her it its this that ' +
    'there here who what when where why how yes no not ok okay hi hello hey thanks thank sorry ' +
    'please just still also so very really quite back home here now then today tomorrow yesterday ' +
    'good great fine happy sad upset angry mad frustrated annoyed confused disappointed concerned ' +
    'worried sure ready done new old interested curious excited glad tired trying looking waiting ' +
    'wondering writing calling asking hoping going getting having reaching following checking ' +
    'contacting emailing messaging texting returning ordering buying shopping planning about ' +
    'afraid unable able in on at from with for to of by as and or but if regarding re ' +
    'customer customers shopper buyer member client guest user admin support team manager ' +
    'service agent bot human person someone somebody anyone everyone nobody order orders ' +
    'may will hope faith grace joy summer rose june april august mark bill pat sue ' +
    'mr mrs ms miss dr sir madam best regards cheers sincerely love all everybody urgent ' +
    'confirmed canceled cancelled shipped delivered missing broken damaged ridiculous ' +
    'unacceptable terrible awful crazy insane absurd amazing weird strange important taking'
  ).split(/\s+/),
);

const NAME_WORD = String.raw`\p{Lu}[\p{Ll}'’-]+`;
const NAME = `(${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})`;
const TITLE = String.raw`(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?`;
const USER_NAME_PATTERNS = [
  // An explicit "my name is" also accepts lowercase names ("my name is jane doe").
  new RegExp(
    String.raw`\bmy name(?:'s| is)\s+${TITLE}([\p{L}'’-]+(?:\s+(?!and\b|i\b)[\p{L}'’-]+)?)`,
    'giu',
  ),
  new RegExp(String.raw`\b(?:[Nn]ame's|[Tt]his is|I'm|I’m|I am)\s+${TITLE}${NAME}`, 'gu'),
  // Sign-offs at the very end: "Thanks, Jane", "Best regards,\nJane Doe", "- Jane"
  new RegExp(
    String.raw`(?:\b(?:[Tt]hanks|[Tt]hank you|[Cc]heers|[Rr]egards|[Bb]est|[Ss]incerely|[Tt]hx)[,!.]?\s+|(?:^|\s)[-–—~]\s*)${TITLE}${NAME}\s*[.!]?\s*$`,
    'u',
  ),
];
// The agent often greets the shopper by the name on their profile: "Hi Jane, ..."
const AGENT_NAME_PATTERN = new RegExp(
  String.raw`^\s*(?:Hi|Hello|Hey|Dear|Thanks|Thank you)[,!]?\s+${NAME}\s*[,!.]`,
  'u',
);

function cleanName(raw: string): string | null {
  const words = raw.trim().split(/\s+/);
  // Stop at the first everyday word: "Jane from Boulder" → "Jane"; "Urgent" → nothing.
  const kept: string[] = [];
  for (const word of words) {
    if (COMMON_WORDS.has(word.toLowerCase()) || !/^[\p{L}'’-]{2,}$/u.test(word)) break;
    kept.push(word);
  }
  return kept.length > 0 ? kept.join(' ') : null;
}

const SHOPPER_ROLES = new Set(['user', 'customer', 'shopper']);

/**
 * Names that shoppers give in a conversation ("my name is Jane Doe", "I'm Jane", "Thanks, Jane"
 * at the end of a message), plus the name the agent greets them by. Conservative: capitalized
 * words only (except after "my name is") and never an everyday word.
 */
export function extractShopperNames(messages: { role: string; content: string }[]): string[] {
  const names = new Set<string>();
  for (const message of messages) {
    const patterns = SHOPPER_ROLES.has(message.role.toLowerCase())
      ? USER_NAME_PATTERNS
      : [AGENT_NAME_PATTERN];
    for (const pattern of patterns) {
      const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
      for (const m of message.content.matchAll(new RegExp(pattern.source, flags))) {
        const name = cleanName(m[1] ?? '');
        if (name !== null) names.add(name);
      }
    }
  }
  return [...names];
}
