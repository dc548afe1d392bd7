import { scrubPersonalData } from '../../domain/scrub.js';
import type { DiagnosisStore } from '../../store/index.js';
import { DAY_MS } from '../../time.js';

/** A conversation whose shopper messages tried to instruct the loop, as a person reads it. */
export interface SuspiciousConversation {
  accountId: string;
  conversationId: string;
  reason: string;
  /** The message that carries the instruction, personal data scrubbed. */
  quote: string;
  updatedAt: string;
}

/**
 * The accounts' conversations of the last `days` whose diagnosis carries a suspicion, newest
 * first: what the CLI (`agent-trainer suspicious`) and the web page (`/suspicious`) list.
 */
export async function listSuspicious(
  diagnoses: Pick<DiagnosisStore, 'listWindow'>,
  accountIds: readonly string[],
  options: { days: number; now: Date },
): Promise<SuspiciousConversation[]> {
  const to = options.now;
  const window = {
    from: new Date(to.getTime() - options.days * DAY_MS).toISOString(),
    to: to.toISOString(),
  };
  const found: SuspiciousConversation[] = [];
  for (const accountId of accountIds) {
    for (const stored of await diagnoses.listWindow(accountId, window)) {
      const { suspicion, conversationId } = stored.diagnosis;
      if (!suspicion) continue;
      found.push({
        accountId,
        conversationId,
        reason: suspicion.reason,
        quote: scrubPersonalData(suspicion.evidence.quote).text,
        updatedAt: stored.conversationUpdatedAt,
      });
    }
  }
  return found.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
