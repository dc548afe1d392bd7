import type { EvidenceQuote } from '../../../domain/diagnosis.js';

/** Longest quote the rules diagnoser keeps. */
export const MAX_QUOTE_CHARS = 200;

/** One message of a conversation, in order. */
export interface Turn {
  id: string;
  role: 'user' | 'agent';
  text: string;
  /** What a shopper's message asks, without sentences written to steer an AI (agent: `text`). */
  clean: string;
  /** Position in the conversation, from 0. */
  index: number;
}

/**
 * A verbatim piece of a message of at most 200 characters: the whole message when short enough,
 * else the first sentence the predicate accepts (plus the following ones while they fit), cut at
 * a word boundary when one sentence alone is too long. Never rewritten, so it can be found in the
 * message again.
 */
export function quoteOf(turn: Turn, accepts?: (sentence: string) => boolean): EvidenceQuote | null {
  const text = turn.text.trim();
  if (text === '') return null;
  if (text.length <= MAX_QUOTE_CHARS) return { messageId: turn.id, quote: text };
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+|\n+|$)/g) ?? [text];
  const start = Math.max(0, accepts ? sentences.findIndex((s) => accepts(s)) : 0);
  let quote = '';
  for (const sentence of sentences.slice(start)) {
    const next = `${quote}${sentence}`;
    if (next.trim().length > MAX_QUOTE_CHARS) break;
    quote = next;
  }
  if (quote.trim() === '') quote = cutAtWord(sentences[start] ?? text);
  return { messageId: turn.id, quote: quote.trim() };
}

function cutAtWord(text: string): string {
  const head = text.trim().slice(0, MAX_QUOTE_CHARS);
  const space = head.lastIndexOf(' ');
  return space > MAX_QUOTE_CHARS / 2 ? head.slice(0, space) : head;
}

/** A turn whose quote should show the sentence a signal matched. */
export interface Marked {
  turn: Turn;
  accepts: (sentence: string) => boolean;
}

/** Marks the sentence of `turn` to quote (null stays null). */
export function marked(
  turn: Turn | null | undefined,
  accepts: (sentence: string) => boolean,
): Marked | null {
  return turn ? { turn, accepts } : null;
}

/** Quotes of several turns, without repeats, at most five. */
export function quotesOf(items: readonly (Turn | Marked | null | undefined)[]): EvidenceQuote[] {
  const quotes: EvidenceQuote[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (!item) continue;
    const quote = 'turn' in item ? quoteOf(item.turn, item.accepts) : quoteOf(item);
    if (!quote || seen.has(quote.messageId)) continue;
    seen.add(quote.messageId);
    quotes.push(quote);
    if (quotes.length === 5) break;
  }
  return quotes;
}
