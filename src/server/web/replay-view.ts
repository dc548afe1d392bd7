import type { Proposal } from '../../domain/proposal.js';
import { describeReplay, describeReproduction } from '../../domain/replay.js';
import { scrubPersonalData } from '../../domain/scrub.js';
import { html, table, type Html } from './html.js';

/**
 * A proposal's replays side by side: each evidence conversation against the live configuration
 * before the proposal was offered (the baseline) and against the changed agent after the apply,
 * with what that comparison makes of it (fixed, newly broken, still failing…).
 */

const verdict = (failed: boolean | null | undefined, reason: string | undefined): string => {
  if (failed === undefined) return '–';
  const word = failed === null ? 'not judged' : failed ? 'failed' : 'passed';
  // A judge's reason may quote a replayed reply, which may repeat what the shopper gave.
  return reason === undefined ? word : `${word}: ${scrubPersonalData(reason).text}`;
};

export function replaysView(p: Proposal): Html {
  const before = p.reproduction;
  const after = p.result.replay;
  if (before === undefined && after === undefined) return html``;
  const ids = [
    ...new Set([
      ...(before?.details ?? []).map((d) => d.conversationId),
      ...(after?.details ?? []).map((d) => d.conversationId),
    ]),
  ];
  const rows = ids.map((id) => {
    const base = before?.details.find((d) => d.conversationId === id);
    const now = after?.details?.find((d) => d.conversationId === id);
    const failedNow = now === undefined ? undefined : now.handled === null ? null : !now.handled;
    return html`<tr>
      <td><code>${id}</code></td>
      <td>${verdict(base?.failedAtBaseline, base?.reason)}</td>
      <td>${verdict(failedNow, now?.reason)}</td>
      <td>${now?.outcome ?? ''}</td>
    </tr>`;
  });
  return html`<section aria-label="Replays">
    <h2>Replays</h2>
    ${
      before === undefined
        ? html`<p class="muted">No baseline: not replayed before it was proposed.</p>`
        : html`<p>${describeReproduction(before)}</p>`
    }
    ${after === undefined ? '' : html`<p>${describeReplay(after)}</p>`}
    ${table(['Conversation', 'At the baseline', 'After the change', 'Outcome'], rows, 'No replays.')}
  </section>`;
}
