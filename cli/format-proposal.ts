import { pairSentence, type Proposal } from '../src/domain/proposal.js';
import { describeWindowShare } from '../src/domain/finding.js';
import type { HeldDraftRecord } from '../src/store/held-drafts.js';
import { percent } from '../src/domain/format.js';
import { describeReplay, describeReproduction } from '../src/domain/replay.js';
import { describeRegression } from '../src/domain/regression.js';
import { describeAttribution, isWaiting } from '../src/domain/attribution.js';

/** One line per proposal for listings. */
export function formatProposalLine(p: Proposal): string {
  const replay = p.result.replay
    ? ` · replay fixed ${p.result.replay.fixed}/${p.result.replay.total}${p.result.replay.newlyBroken ? `, ${p.result.replay.newlyBroken} newly broken` : ''}`
    : '';
  const reproduced =
    p.reproduction && p.reproduction.total > 0
      ? ` · reproduces ${p.reproduction.reproduced}/${p.reproduction.total}`
      : '';
  const fills = p.placeholders.length > 0 ? ` · ${p.placeholders.length} to fill` : '';
  const regressions = p.result.regression?.regressions.length ?? 0;
  const regressed =
    regressions > 0 ? ` · ${regressions} regression${regressions === 1 ? '' : 's'}` : '';
  const held = p.attribution.waitingBehind;
  const waits =
    held && isWaiting(p) ? ` · waits behind ${held.proposalId} until ${held.until}` : '';
  return `${p.id}  ${p.status.padEnd(8)}  ${p.accountId}  ${p.title}${fills}${reproduced}${replay}${regressed}${waits}`;
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
    ...(pairSentence(p) === null ? [] : [`Paired: ${pairSentence(p)}`]),
    '',
    'Evidence:',
    ...f.evidence.slice(0, 3).map((e) => `  [${e.conversationId}] "${e.quote}"`),
    '',
    p.diff.trimEnd(),
  ];
  if (p.placeholders.length > 0) {
    lines.push('', 'To fill before approval:', ...p.placeholders.map((d) => `  {{fill: ${d}}}`));
  }
  if (p.reproduction) {
    lines.push(
      '',
      describeReproduction(p.reproduction),
      ...p.reproduction.details.map(
        (d) =>
          `  [${d.conversationId}] ${d.failedAtBaseline === null ? 'not judged' : d.failedAtBaseline ? 'fails' : 'passes'}: ${d.reason}`,
      ),
    );
  }
  if (p.result.replay) {
    lines.push(
      '',
      describeReplay(p.result.replay),
      ...(p.result.replay.details ?? []).map(
        (d) =>
          `  [${d.conversationId}] ${d.outcome ?? (d.handled === null ? 'not replayed' : d.handled ? 'passes' : 'fails')}: ${d.reason}`,
      ),
    );
  }
  if (p.result.regression) {
    const { regressions } = p.result.regression;
    lines.push(
      '',
      describeRegression(p.result.regression),
      ...regressions.map((g) => `  [${g.caseId ?? g.conversationId}] ${g.reason}`),
    );
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
