import type { EvidenceQuote } from '../../domain/diagnosis.js';
import { extractShopperNames, scrubPersonalData } from '../../domain/scrub.js';
import type { ConversationSnapshot } from '../../domain/snapshot.js';

/**
 * The exchange around a piece of evidence: the message before the quoted one, the quoted one and
 * the message after (typically the shopper's question, the agent's reply and the shopper's
 * reaction), so a person sees the failure happen rather than a lone sentence. Personal data —
 * emails, phone numbers, order numbers and the shopper's name — is scrubbed.
 */

export interface ExchangeMessage {
  role: 'shopper' | 'agent' | 'other';
  text: string;
  /** The message the evidence quotes. */
  quoted: boolean;
}

export interface Exchange {
  conversationId: string;
  messages: ExchangeMessage[];
}

/** Longest text shown per message. */
const MAX_CHARS = 600;

function roleOf(role: string): ExchangeMessage['role'] {
  if (role === 'user') return 'shopper';
  return role === 'agent' ? 'agent' : 'other';
}

/** The exchange around `evidence` in its conversation, or null when the message is not there. */
export function exchangeAround(
  snapshot: ConversationSnapshot,
  evidence: Pick<EvidenceQuote, 'messageId'> & { conversationId: string },
): Exchange | null {
  const messages = snapshot.messages;
  const at = messages.findIndex((m) => m.id === evidence.messageId);
  if (at < 0) return null;
  const names = extractShopperNames(
    messages.map((m) => ({ role: m.attributes.role, content: m.attributes.content })),
  );
  const shown = messages.slice(Math.max(0, at - 1), at + 2);
  return {
    conversationId: evidence.conversationId,
    messages: shown.map((m) => {
      const text = scrubPersonalData(m.attributes.content.replace(/\s+/g, ' ').trim(), {
        names,
      }).text;
      return {
        role: roleOf(m.attributes.role),
        text: text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text,
        quoted: m.id === evidence.messageId,
      };
    }),
  };
}
