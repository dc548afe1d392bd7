import type { Proposal } from '../src/domain/proposal.js';
import { describeWindowShare } from '../src/domain/finding.js';
import type { HeldDraftRecord } from '../src/store/held-drafts.js';
import { percent } from '../src/domain/format.js';
import { describeAttribution, isWaiting } from '../src/domain/attribution.js';

/** One line per proposal for listings. */
export function formatProposalLine(p: Proposal): string {
  const replay = p.result.replay
    ? ` · replay fixed ${p.result.replay.fixed}/${p.result.replay.total}`
    : '';
  const fills = p.placeholders.length > 0 ? ` · ${p.placeholders.length} to fill` : '';
  const held = p.attribution.waitingBehind;
  const waits =
    held && isWaiting(p) ? ` · waits behind ${held.proposalId} until ${held.until}` : '';
  return `${p.id}  ${p.status.padEnd(8)}  ${p.accountId}  ${p.title}${fills}${replay}${waits}`;
}

/** A proposal as a person reads it: why, the evidence, the diff, what is left to fill, history. */
export function formatProposal(p: Proposal, waiting: readonly HeldDraftRecord[] = []): string {
  const f = p.finding;
  const lines = [
    `${p.title}`,
    `  id ${p.id} · revision ${p.revision} · ${p.status} · account ${p.accountId}${p.revertOf ? ` · reverts ${p.revertOf}` : ''}`,
    '',
    `Finding: ${f.category.replace(/_/g, ' ')} · topic "${f.topic}"${f.skillId ? ` · skill ${f.skillId}` : ''}`,
    `  ${f.conversationIds.length} conversations (${describeWindowShare(f.metrics)})` +
      (f.metrics.resolutionRate === null
        ? ''
        : ` · resolution rate ${percent(f.metrics.resolutionRate)}`),
    '',
    `Why: ${p.rationale}`,
    `Expected impact: ${p.expectedImpact}`,
    '',
    'Evidence:',
    ...f.evidence.slice(0, 3).map((e) => `  [${e.conversationId}] "${e.quote}"`),
    '',
    p.diff.trimEnd(),
  ];
  if (p.placeholders.length > 0) {
    lines.push('', 'To fill before approval:', ...p.placeholders.map((d) => `  {{fill: ${d}}}`));
  }
  if (p.result.replay) {
    lines.push('', `Replay: fixed ${p.result.replay.fixed} of ${p.result.replay.total}`);
  }
  if (p.result.error) lines.push('', `Error: ${p.result.error}`);
  const attribution = describeAttribution(p);
  if (attribution.length > 0) lines.push('', ...attribution);
  if (waiting.length > 0) {
    lines.push(
      '',
      'Waiting behind this proposal (same field; drafted again once it is decided):',
      ...waiting.map((w) => `  ${w.title} (held ${w.at.slice(0, 10)})`),
    );
  }
  lines.push(
    '',
    'History:',
    ...p.history.map(
      (h) => `  ${h.at}  ${h.status.padEnd(8)} ${h.actor}${h.note ? ` — ${h.note}` : ''}`,
    ),
  );
  return lines.join('\n');
}
