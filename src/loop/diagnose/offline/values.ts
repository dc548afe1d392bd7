/**
 * Values a message states — amounts of money, dates, percentages, durations — by kind, so that a
 * shopper holding up a different value than the agent's answer can be read in any language: the
 * figures are the same in "the banner says $125", "sabi sa fb page sept 30" and "le site dit 99 $".
 */

type Kind = 'money' | 'date' | 'percent' | 'duration';
export type StatedValues = ReadonlyMap<Kind, ReadonlySet<string>>;

const MONTHS = [
  ['jan', 'january', 'enero', 'janvier', 'januar'],
  ['feb', 'february', 'febrero', 'fevrier', 'février', 'februar'],
  ['mar', 'march', 'marzo', 'mars', 'märz'],
  ['apr', 'april', 'abril', 'avril'],
  // Not the English "may": "I may 5 things" is no date.
  ['mayo', 'mai'],
  ['jun', 'june', 'junio', 'juin', 'juni'],
  ['jul', 'july', 'julio', 'juillet', 'juli'],
  ['aug', 'august', 'agosto', 'août', 'aout'],
  ['sep', 'sept', 'september', 'septiembre', 'setyembre', 'septembre'],
  ['oct', 'october', 'octubre', 'oktubre', 'octobre', 'oktober'],
  ['nov', 'november', 'noviembre', 'nobyembre', 'novembre'],
  ['dec', 'december', 'diciembre', 'disyembre', 'décembre', 'decembre', 'dezember'],
] as const;
const MONTH_OF = new Map<string, number>(
  MONTHS.flatMap((names, index) => names.map((n) => [n, index + 1] as const)),
);
const MONTH = MONTHS.flat().join('|');

const PATTERNS: readonly { kind: Kind; re: RegExp; read: (m: RegExpExecArray) => string | null }[] =
  [
    {
      kind: 'money',
      re: /[$€£]\s?(\d[\d,]*(?:\.\d+)?)|\b(\d[\d,]*(?:\.\d+)?)\s?[$€£]|\b(\d[\d,]*(?:\.\d+)?)\s?(?:dollars?|usd|cad|eur|euros?|pesos?|php)\b/giu,
      read: (m) => amount(m[1] ?? m[2] ?? m[3]),
    },
    {
      kind: 'date',
      re: new RegExp(
        String.raw`\b(${MONTH})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:de\s+|of\s+)?(${MONTH})\b`,
        'giu',
      ),
      read: (m) => {
        const month = MONTH_OF.get((m[1] ?? m[4] ?? '').toLowerCase());
        const day = Number(m[2] ?? m[3]);
        return month && day >= 1 && day <= 31 ? `${month}-${day}` : null;
      },
    },
    {
      kind: 'percent',
      re: /\b(\d+(?:\.\d+)?)\s?(?:%|percent|per cent|por ciento|pour cent)/giu,
      read: (m) => amount(m[1]),
    },
    {
      kind: 'duration',
      re: /\b(\d+)(?:\s?(?:-|–|to|a|à)\s?(\d+))?\s?(?:business |working )?(hours?|hrs?|days?|weeks?|months?|días|dias|jours|semanas|semaines|araw|linggo)\b/giu,
      read: (m) => `${m[1]}${m[2] ? `-${m[2]}` : ''} ${unit(m[3] ?? '')}`,
    },
  ];

function amount(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const n = Number(raw.replace(/,/g, ''));
  return Number.isFinite(n) ? String(n) : null;
}

function unit(word: string): string {
  const w = word.toLowerCase();
  if (/^(?:hours?|hrs?)$/.test(w)) return 'hour';
  if (/^(?:weeks?|semanas|semaines|linggo)$/.test(w)) return 'week';
  if (/^months?$/.test(w)) return 'month';
  return 'day';
}

/** The values a text states, by kind. */
export function statedValues(text: string): StatedValues {
  const found = new Map<Kind, Set<string>>();
  for (const { kind, re, read } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const value = read(m);
      if (value === null) continue;
      const set = found.get(kind) ?? new Set<string>();
      set.add(value);
      found.set(kind, set);
    }
  }
  return found;
}

/**
 * The shopper's reaction holds up, against the answer, a value of a kind the answer stated that
 * the answer did not state ("$125" against "$75"); the agent's next reply then says the answer's
 * value again and not the shopper's. A reply that takes the shopper's figure in ("yes, $80 is over
 * $75") works with it rather than against it. Returns the kind disputed, or null.
 */
export function heldAgainst(answer: string, reaction: string, reply: string): Kind | null {
  const answered = statedValues(answer);
  const held = statedValues(reaction);
  const replied = statedValues(reply);
  for (const [kind, theirs] of held) {
    const ours = answered.get(kind);
    if (!ours) continue;
    const other = [...theirs].filter((v) => !ours.has(v));
    const again = replied.get(kind);
    if (other.length === 0 || !again) continue;
    if ([...ours].some((v) => again.has(v)) && !other.some((v) => again.has(v))) return kind;
  }
  return null;
}
