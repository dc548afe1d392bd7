/**
 * Untrusted text (shopper messages, evidence quotes, replayed replies) reaches Claude only inside
 * tags the system prompt declares to be data. Text that imitates one of those tags is
 * neutralized, so a shopper cannot close the fence and speak as the operator.
 */

/** Every tag name the prompts use to fence data. */
export const FENCE_TAGS = [
  'transcript',
  'message',
  'evidence',
  'quote',
  'agent_reply',
  'agent_config',
  'target_config',
  'finding',
  'rejections',
] as const;

const TAG_LIKE = new RegExp(`<(\\s*/?\\s*)(${FENCE_TAGS.join('|')})(?![a-z0-9_])`, 'gi');

/** Replaces the `<` of anything that looks like one of our tags with `&lt;`. */
export function neutralizeFences(text: string): string {
  return text.replace(TAG_LIKE, '&lt;$1$2');
}

/** An attribute value: quotes and angle brackets escaped, one line. */
export function attr(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s+/g, ' ');
}

/** Wraps untrusted text in `<tag>` after neutralizing fence look-alikes inside it. */
export function fence(tag: (typeof FENCE_TAGS)[number], text: string, attrs = ''): string {
  return `<${tag}${attrs ? ` ${attrs}` : ''}>\n${neutralizeFences(text)}\n</${tag}>`;
}

/** The minimal conversation shape the transcript needs (a ConversationSnapshot fits it). */
export interface TranscriptSource {
  conversation: { id: string; attributes: { status: string; created_at: string } };
  messages: readonly {
    id: string;
    attributes: { role: string; content: string; created_at: string };
  }[];
}

/** Renders a conversation as a fenced transcript; shopper turns are labelled `shopper`. */
export function renderTranscript(source: TranscriptSource): string {
  const { conversation } = source;
  const messages = source.messages.map((m) => {
    const role = m.attributes.role === 'user' ? 'shopper' : m.attributes.role;
    const head = `id="${attr(m.id)}" role="${attr(role)}" at="${attr(m.attributes.created_at)}"`;
    return `<message ${head}>\n${neutralizeFences(m.attributes.content)}\n</message>`;
  });
  const head =
    `id="${attr(conversation.id)}" status="${attr(conversation.attributes.status)}" ` +
    `created_at="${attr(conversation.attributes.created_at)}"`;
  return `<transcript ${head}>\n${messages.join('\n')}\n</transcript>`;
}
