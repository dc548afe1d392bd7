import { describeWindowShare, type Finding } from '../../domain/finding.js';
import type { Proposal } from '../../domain/proposal.js';
import { recordedImpact } from '../../loop/verify/impact.js';
import type { LatestFindings } from '../../store/findings.js';
import { html, page, table, type Html } from './html.js';
import type { AppliedChange } from './trend.js';
import { describeReplay } from '../../domain/replay.js';

/**
 * The overview (`/`), one account at a time: its trend with the applied changes marked, the open
 * findings of its latest synthesis by impact, and the changes applied with what they measurably
 * did (the replay after the apply, the impact check's verdict). Pure: data in, HTML out.
 */

/** Findings listed; the rest are in `/api/v1/findings`. */
export const FINDINGS_SHOWN = 20;

export interface OverviewInput {
  who: string;
  /** The accounts this server runs, for the selector. */
  accounts: readonly string[];
  accountId: string;
  /** The account's trend chart (see trend.ts). */
  trend: Html;
  findings: LatestFindings | null;
  /** Proposals drafted from the findings (pending or applied), linked from them. */
  proposals: readonly Proposal[];
  changes: readonly AppliedChange[];
}

const pageOf = (p: Pick<Proposal, 'id'>): string => `/proposals/${encodeURIComponent(p.id)}`;

function accountSelector(input: OverviewInput): Html {
  if (input.accounts.length < 2) return html``;
  return html`<nav class="tabs" aria-label="Account">
    ${input.accounts.map(
      (a) =>
        html`<a
          href="/?account=${encodeURIComponent(a)}"
          ${a === input.accountId ? html`aria-current="page"` : ''}
          >${a}</a
        >`,
    )}
  </nav>`;
}

function findingsView(input: OverviewInput): Html {
  const latest = input.findings;
  const byFinding = new Map<string, Proposal>();
  // Newest first: the first proposal seen for a finding is its latest.
  for (const p of input.proposals) if (!byFinding.has(p.finding.id)) byFinding.set(p.finding.id, p);
  const findings = [...(latest?.findings ?? [])].sort((a, b) => b.impact - a.impact);
  const row = (f: Finding): Html => {
    const proposal = byFinding.get(f.id);
    return html`<tr>
      <td>${f.impact.toFixed(1)}</td>
      <td>${f.category.replace(/_/g, ' ')}</td>
      <td>${f.topic}</td>
      <td>
        ${f.conversationIds.length} <span class="muted">(${describeWindowShare(f.metrics)})</span>
      </td>
      <td>
        ${
          proposal === undefined
            ? html`<span class="muted">not proposed</span>`
            : html`<a href="${pageOf(proposal)}">${proposal.status}</a>`
        }
      </td>
    </tr>`;
  };
  const more = findings.length - FINDINGS_SHOWN;
  return html`<section aria-label="Open findings">
    <h2>Open findings by impact</h2>
    ${
      latest === null
        ? ''
        : html`<p class="muted">
            From the synthesis of ${latest.at.slice(0, 16).replace('T', ' ')} UTC (window
            ${latest.window.from.slice(0, 10)} – ${latest.window.to.slice(0, 10)}).
          </p>`
    }
    ${table(
      ['Impact', 'Category', 'Topic', 'Conversations', 'Proposal'],
      findings.slice(0, FINDINGS_SHOWN).map(row),
      latest === null ? 'No synthesis has run for this account yet.' : 'No open findings.',
    )}
    ${
      more > 0
        ? html`<p class="muted">
            …and ${more} more:
            <a href="/api/v1/findings?account=${encodeURIComponent(input.accountId)}"
              >/api/v1/findings</a
            >.
          </p>`
        : ''
    }
  </section>`;
}

function changesView(changes: readonly AppliedChange[]): Html {
  const rows = [...changes]
    .sort((a, b) => Date.parse(b.result.appliedAt) - Date.parse(a.result.appliedAt))
    .map((c) => {
      const impact = recordedImpact(c);
      return html`<tr>
        <td class="muted">${c.result.appliedAt.slice(0, 16).replace('T', ' ')}</td>
        <td><a href="${pageOf(c)}">${c.title}</a></td>
        <td><span class="status ${c.status}">${c.status}</span></td>
        <td>
          ${
            c.result.replay === undefined
              ? html`<span class="muted">not replayed yet</span>`
              : describeReplay(c.result.replay)
          }
        </td>
        <td>
          ${
            impact === null
              ? html`<span class="muted">not checked yet</span>`
              : html`<strong>${impact.verdict}</strong>
                  <div class="muted">${impact.reason}</div>`
          }
        </td>
      </tr>`;
    });
  return html`<section aria-label="Changes applied">
    <h2>Changes applied</h2>
    ${table(
      ['Applied (UTC)', 'Change', 'Status', 'Replay after the apply', 'Impact'],
      rows,
      'No changes applied yet.',
    )}
  </section>`;
}

export function overviewPage(input: OverviewInput): string {
  const body = html`<h1>Overview · account <code>${input.accountId}</code></h1>
    ${accountSelector(input)}
    <section aria-label="Trend">
      <h2>Trend</h2>
      ${input.trend}
    </section>
    ${findingsView(input)} ${changesView(input.changes)}`;
  return page({ title: `Overview · ${input.accountId}`, who: input.who, body });
}
