import { editableField } from '../../loop/approve/edits.js';
import { placeholdersInPatch } from '../../domain/placeholders.js';
import {
  pairSentence,
  PROPOSAL_STATUSES,
  type Proposal,
  type ProposalStatus,
} from '../../domain/proposal.js';
import { scrubPersonalData } from '../../domain/scrub.js';
import { html, page, table, type Html } from './html.js';
import { describeWindowShare } from '../../domain/finding.js';
import { describeRegression, type RegressionResult } from '../../domain/regression.js';
import { percent } from '../../domain/format.js';
import { describeAttribution, isWaiting } from '../../domain/attribution.js';
import type { HeldDraftRecord } from '../../store/held-drafts.js';
import type { Exchange, ExchangeMessage } from './exchange.js';
import { replaysView } from './replay-view.js';

/** The proposals list and a proposal's page. Pure: data in, HTML out (the plugin does the I/O). */

/** What the signed-in person may do on a proposal's page. */
export type Permission =
  { kind: 'decide'; csrfToken: string } | { kind: 'read-only'; reason: string };

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

/** Form field name of placeholder number `index` (in `placeholdersInPatch` order). */
export const fillField = (index: number): string => `fill_${index}`;

function statusBadge(status: ProposalStatus): Html {
  return html`<span class="status ${status}">${status}</span>`;
}

function flashBox(flash: Flash | undefined): Html {
  return flash === undefined
    ? html``
    : html`<p class="flash ${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">
        ${flash.text}
      </p>`;
}

export interface ListPageInput {
  who: string;
  status: ProposalStatus | 'all';
  counts: Record<ProposalStatus, number>;
  proposals: Proposal[];
  /** The accounts this server runs; others' proposals are marked read-only. */
  accounts: readonly string[];
  /** Which page of the listing this is (1-based), of how many. */
  paging: { page: number; pages: number };
}

/** Links to the newer and older pages of a listing. */
function pagingNav(status: ProposalStatus | 'all', { page, pages }: ListPageInput['paging']): Html {
  if (pages <= 1) return html``;
  const link = (to: number, label: string): Html =>
    html`<a href="/proposals?status=${status}&page=${String(to)}">${label}</a>`;
  return html`<nav class="paging" aria-label="Pages">
    ${page > 1 ? link(page - 1, '← Newer') : ''} Page ${String(page)} of ${String(pages)}
    ${page < pages ? link(page + 1, 'Older →') : ''}
  </nav>`;
}

export function listPage(input: ListPageInput): string {
  const total = PROPOSAL_STATUSES.reduce((sum, s) => sum + input.counts[s], 0);
  const tab = (status: ProposalStatus | 'all', count: number): Html =>
    html`<a
      href="/proposals?status=${status}"
      ${input.status === status ? html`aria-current="page"` : ''}
      >${status} (${count})</a
    >`;
  const rows = input.proposals.map(
    (p) =>
      html`<tr>
        <td><a href="/proposals/${encodeURIComponent(p.id)}">${p.title}</a></td>
        <td>${statusBadge(p.status)}</td>
        <td>
          ${p.accountId}
          ${
            input.accounts.includes(p.accountId)
              ? ''
              : html`<span class="muted">(not run here: read-only)</span>`
          }
        </td>
        <td>${p.patch.kind}</td>
        <td>${p.finding.conversationIds.length}</td>
        <td class="muted">${p.createdAt.slice(0, 16).replace('T', ' ')}</td>
      </tr>`,
  );
  const body = html`<h1>Proposals</h1>
    <p class="muted"><a href="/suspicious">Suspicious conversations</a> are listed apart.</p>
    <nav class="tabs" aria-label="Status">
      ${tab('all', total)} ${PROPOSAL_STATUSES.map((s) => tab(s, input.counts[s]))}
    </nav>
    ${table(
      ['Title', 'Status', 'Account', 'Change', 'Conversations', 'Created (UTC)'],
      rows,
      `No ${input.status === 'all' ? '' : input.status} proposals.`,
    )}
    ${pagingNav(input.status, input.paging)}`;
  return page({ title: 'Proposals', who: input.who, body });
}

function diffView(diff: string): Html {
  const lines = diff.trimEnd().split('\n');
  const cls = (line: string): string =>
    line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')
      ? 'hunk'
      : line.startsWith('+')
        ? 'add'
        : line.startsWith('-')
          ? 'del'
          : '';
  return html`<pre class="diff">
${lines.map((l) => (cls(l) === '' ? html`${l} ` : html`<span class="${cls(l)}">${l}</span>`))}</pre>`;
}

function findingView(p: Proposal): Html {
  const f = p.finding;
  return html`<section aria-label="Finding">
    <h2>Finding</h2>
    <p>
      <strong>${f.category.replace(/_/g, ' ')}</strong> · topic “${f.topic}”
      ${f.skillId === null ? '' : html` · skill <code>${f.skillId}</code>`}
    </p>
    <p>
      ${f.conversationIds.length} conversations (${describeWindowShare(f.metrics)})
      ${
        f.metrics.resolutionRate === null
          ? ''
          : html` · resolution rate ${percent(f.metrics.resolutionRate)}`
      }
      ${f.metrics.skillVolume === null ? '' : html` · skill volume ${f.metrics.skillVolume}`}
    </p>
    <p><strong>Why:</strong> ${p.rationale}</p>
    <p><strong>Expected impact:</strong> ${p.expectedImpact}</p>
  </section>`;
}

/** Quotes are scrubbed of personal data: the page is seen by more people than the store's staff. */
const ROLE_NAMES: Record<ExchangeMessage['role'], string> = {
  shopper: 'Shopper',
  agent: 'Agent',
  other: 'Note',
};

function exchangeView(exchange: Exchange): Html {
  return html`<figure class="exchange">
    ${exchange.messages.map(
      (m) =>
        html`<p class="${m.quoted ? 'quoted' : ''}">
          <strong>${ROLE_NAMES[m.role]}:</strong> ${m.text}
        </p>`,
    )}
    <figcaption class="muted">conversation <code>${exchange.conversationId}</code></figcaption>
  </figure>`;
}

/**
 * The evidence as exchanges (the quoted message with the one before and after it) where the
 * conversation is still stored, else the quote alone.
 */
function evidenceView(p: Proposal, exchanges: readonly Exchange[]): Html {
  const shown = new Set(exchanges.map((e) => e.conversationId));
  const quotes = p.finding.evidence
    .filter((e) => !shown.has(e.conversationId))
    .map(
      (e) =>
        html`<blockquote>
          ${scrubPersonalData(e.quote.replace(/\s+/g, ' ').trim()).text}
          <div class="muted">conversation <code>${e.conversationId}</code></div>
        </blockquote>`,
    );
  const parts = [...exchanges.map(exchangeView), ...quotes];
  return html`<section aria-label="Evidence">
    <h2>Evidence</h2>
    ${parts.length === 0 ? html`<p class="muted">No quotes.</p>` : parts}
  </section>`;
}

function resultView(p: Proposal): Html {
  const r = p.result;
  const lines = [
    r.appliedAt === undefined ? '' : html`<p>Applied at ${r.appliedAt}.</p>`,
    r.resourceId === undefined ? '' : html`<p>Resource <code>${r.resourceId}</code>.</p>`,
    r.error === undefined ? '' : html`<p><strong>Error:</strong> ${r.error}</p>`,
  ];
  if (r.regression !== undefined) lines.push(regressionView(r.regression));
  return lines.every((l) => l === '')
    ? html``
    : html`<section aria-label="Result">
        <h2>Result</h2>
        ${lines}
      </section>`;
}

/** The regression check: what failed, and the drafted revert to decide on. */
function regressionView(r: RegressionResult): Html {
  const items = r.regressions.map(
    (g) =>
      html`<li>
        <code>${g.caseId ?? g.conversationId}</code> (conversation
        <code>${g.conversationId}</code>): ${g.reason}
      </li>`,
  );
  return html`<div aria-label="Regression check">
    <p>
      ${r.regressions.length > 0 ? html`<strong>${describeRegression(r)}</strong>` : describeRegression(r)}
    </p>
    ${
      items.length === 0
        ? ''
        : html`<ul>
            ${items}
          </ul>`
    }
    ${
      r.revertProposalId === undefined
        ? ''
        : html`<p>
            <a href="/proposals/${encodeURIComponent(r.revertProposalId)}"
              >Open the drafted revert</a
            >
          </p>`
    }
  </div>`;
}

function historyView(p: Proposal): Html {
  const rows = p.history.map(
    (e) =>
      html`<tr>
        <td>${e.at.replace('T', ' ').slice(0, 19)}</td>
        <td>${statusBadge(e.status)}</td>
        <td>${e.actor}</td>
        <td>${e.note ?? ''}</td>
      </tr>`,
  );
  return html`<section aria-label="History">
    <h2>History</h2>
    ${table(['When (UTC)', 'Status', 'By', 'Note'], rows, 'No events.')}
  </section>`;
}

function fillInputs(placeholders: string[], prefix: string): Html[] {
  return placeholders.map(
    (description, i) =>
      html`<label for="${prefix}-${fillField(i)}">Fill: ${description}</label>
        <input type="text" id="${prefix}-${fillField(i)}" name="${fillField(i)}" required />`,
  );
}

function decisionForms(p: Proposal, csrfToken: string): Html {
  const action = (verb: string): string => `/proposals/${encodeURIComponent(p.id)}/${verb}`;
  // Every form names the revision this page shows, so a decision never lands on a later edit.
  const csrf = html`<input type="hidden" name="_csrf" value="${csrfToken}" />
    <input type="hidden" name="revision" value="${String(p.revision)}" />`;
  const placeholders = placeholdersInPatch(p.patch);
  const editable = editableField(p.patch);
  return html`<section aria-label="Decide">
    <h2>Decide</h2>
    <form method="post" action="${action('approve')}">
      ${csrf} ${fillInputs(placeholders, 'approve')}
      <button type="submit" class="approve">Approve and apply</button>
    </form>
    <form method="post" action="${action('reject')}">
      ${csrf}
      <label for="reject-reason">Reason (optional)</label>
      <input type="text" id="reject-reason" name="reason" maxlength="500" />
      <button type="submit" class="reject">Reject</button>
    </form>
    <details>
      <summary>Edit</summary>
      <form method="post" action="${action('edit')}">
        ${csrf}
        ${
          editable === null
            ? ''
            : html`<label for="edit-text">Text (${editable.field})</label>
                <textarea id="edit-text" name="text" rows="10">${editable.text}</textarea>`
        }
        ${fillInputs(placeholders, 'edit')}
        <button type="submit">Save edit</button>
      </form>
    </details>
  </section>`;
}

/**
 * Attribution: waiting behind another change (until when), applied anyway, shared with whom;
 * for a waiting proposal and an approver, the "Apply anyway" form (pinned like the others).
 */
function attributionView(p: Proposal, permission: Permission): Html {
  const lines = describeAttribution(p);
  if (lines.length === 0) return html``;
  const { waitingBehind, sharedWith = [] } = p.attribution;
  const related = [
    ...new Set([...(waitingBehind ? [waitingBehind.proposalId] : []), ...sharedWith]),
  ];
  const override =
    isWaiting(p) && permission.kind === 'decide'
      ? html`<form method="post" action="/proposals/${encodeURIComponent(p.id)}/apply-anyway">
          <input type="hidden" name="_csrf" value="${permission.csrfToken}" />
          <input type="hidden" name="revision" value="${String(p.revision)}" />
          <button type="submit">Apply anyway (the attribution will be shared)</button>
        </form>`
      : html``;
  return html`<section aria-label="Attribution">
    <h2>Attribution</h2>
    ${lines.map((line) => html`<p>${line}</p>`)}
    ${
      related.length === 0
        ? ''
        : html`<p>
            See
            ${related.map((id) => html`<a href="/proposals/${encodeURIComponent(id)}">${id}</a> `)}
          </p>`
    }
    ${override}
  </section>`;
}

export interface DetailPageInput {
  who: string;
  proposal: Proposal;
  permission: Permission;
  /** Drafts held behind this proposal: they change the same field, and wait for its decision. */
  waiting?: readonly HeldDraftRecord[];
  /** The evidence in context, for the conversations still stored. */
  exchanges?: readonly Exchange[];
  /** The account's trend with this change marked (see trend.ts). */
  trend?: Html;
  flash?: Flash;
}

function waitingView(waiting: readonly HeldDraftRecord[]): Html {
  return waiting.length === 0
    ? html``
    : html`<section aria-label="Waiting behind this proposal">
        <h2>Waiting behind this proposal</h2>
        <p class="muted">
          These drafts change the same field; each is drafted again once this one is decided.
        </p>
        <ul>
          ${waiting.map((w) => html`<li>${w.title} <span class="muted">(held ${w.at.slice(0, 10)})</span></li>`)}
        </ul>
      </section>`;
}

function trendView(trend: Html | undefined): Html {
  return trend === undefined
    ? html``
    : html`<section aria-label="Trend">
        <h2>Trend</h2>
        ${trend}
      </section>`;
}

/** A paired proposal names the other one, linked: a decision here decides both. */
function pairView(p: Proposal): Html | string {
  const sentence = pairSentence(p);
  if (sentence === null || p.pair === undefined) return '';
  const other = p.pair.proposalId;
  return html`<p role="note">
    <strong>Paired.</strong> ${sentence}
    <a href="/proposals/${encodeURIComponent(other)}">Open ${other}</a>
  </p>`;
}

export function detailPage(input: DetailPageInput): string {
  const p = input.proposal;
  const placeholders = placeholdersInPatch(p.patch);
  const decide =
    p.status !== 'pending'
      ? html``
      : input.permission.kind === 'decide'
        ? decisionForms(p, input.permission.csrfToken)
        : html`<section aria-label="Decide">
            <p class="muted">${input.permission.reason}</p>
          </section>`;
  const body = html`<p><a href="/proposals?status=${p.status}">← ${p.status} proposals</a></p>
    <h1>${p.title}</h1>
    <p>
      ${statusBadge(p.status)} · account <code>${p.accountId}</code> · <code>${p.id}</code> ·
      revision ${String(p.revision)}
      ${
        p.revertOf === null
          ? ''
          : html` · reverts
              <a href="/proposals/${encodeURIComponent(p.revertOf)}">${p.revertOf}</a>`
      }
    </p>
    ${pairView(p)} ${flashBox(input.flash)} ${findingView(p)} ${trendView(input.trend)}
    <section aria-label="Change">
      <h2>Change (${p.patch.kind})</h2>
      ${diffView(p.diff)}
      ${
        placeholders.length === 0
          ? ''
          : html`<p><strong>To fill before approval:</strong></p>
              <ul>
                ${placeholders.map((d) => html`<li>${d}</li>`)}
              </ul>`
      }
    </section>
    ${waitingView(input.waiting ?? [])} ${evidenceView(p, input.exchanges ?? [])} ${resultView(p)}
    ${replaysView(p)} ${attributionView(p, input.permission)} ${decide} ${historyView(p)}`;
  return page({ title: p.title, who: input.who, body });
}
