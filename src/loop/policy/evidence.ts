import { z } from 'zod';
import type { Finding } from '../../domain/finding.js';
import type { SnapshotStore } from '../../store/snapshots.js';

/**
 * The untrusted text a patch is checked against: the finding's evidence conversations (stored
 * snapshots) plus the quotes themselves. A draft and every later edit of it read the same text,
 * so a person's edit is held to what the drafter was.
 */

export interface Transcript {
  role: string;
  content: string;
}

/** Transcripts read per finding for the policy's personal-data and injection checks. */
const MAX_TRANSCRIPTS = 50;

const MessageShape = z.looseObject({
  attributes: z.looseObject({ role: z.string(), content: z.string() }),
});

/** The evidence conversations' messages (stored snapshots) plus the quotes themselves. */
export async function findingTranscripts(
  snapshots: Pick<SnapshotStore, 'get'>,
  accountId: string,
  finding: Pick<Finding, 'evidence' | 'conversationIds'>,
): Promise<Transcript[]> {
  const ids = [
    ...new Set([...finding.evidence.map((e) => e.conversationId), ...finding.conversationIds]),
  ];
  const stored = await Promise.all(
    ids.slice(0, MAX_TRANSCRIPTS).map((id) => snapshots.get(accountId, id)),
  );
  const messages = stored.flatMap((snapshot) =>
    (snapshot?.messages ?? []).flatMap((message: unknown) => {
      const parsed = MessageShape.safeParse(message);
      return parsed.success ? [parsed.data.attributes] : [];
    }),
  );
  // Quotes outlive expired snapshots; they are the same untrusted text.
  const quotes = finding.evidence.map((e) => ({ role: 'user', content: e.quote }));
  return [...messages.map(({ role, content }) => ({ role, content })), ...quotes];
}
