import type { DiagnosisStore, ProposalStore } from '../../store/index.js';
import { DAY_MS } from '../../time.js';

/** How many topics Claude is shown, and how far back they are read. */
const MAX_TOPICS = 30;
const LOOKBACK_DAYS = 30;

/** A topic as a prompt may show it: lower-case words only, at most six. */
function plain(topic: string): string {
  return topic
    .toLowerCase()
    .replace(/[^\p{Ll}\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6)
    .join(' ');
}

/**
 * The topics an account's findings already use — those of its proposals, then the most frequent
 * topics of recent failures — for Claude's diagnoser to reuse, so that one subject stays one
 * finding however the shoppers put it. Cleaned to plain words: they are shown in a prompt.
 */
export async function topicsInUse(
  stores: { proposals: Pick<ProposalStore, 'list'>; diagnoses: Pick<DiagnosisStore, 'listWindow'> },
  accountId: string,
  now: Date,
): Promise<string[]> {
  const counts = new Map<string, number>();
  const proposals = await stores.proposals.list({ accountId, limit: 100 });
  for (const p of proposals) counts.set(plain(p.finding.topic), Number.MAX_SAFE_INTEGER);
  const window = {
    from: new Date(now.getTime() - LOOKBACK_DAYS * DAY_MS).toISOString(),
    to: now.toISOString(),
  };
  for (const { diagnosis } of await stores.diagnoses.listWindow(accountId, window)) {
    if (diagnosis.outcome !== 'failure' || diagnosis.suspicion) continue;
    const topic = plain(diagnosis.topic);
    counts.set(topic, (counts.get(topic) ?? 0) + 1);
  }
  return [...counts]
    .filter(([topic, n]) => topic !== '' && n >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_TOPICS)
    .map(([topic]) => topic);
}
