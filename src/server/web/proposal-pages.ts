import { editableField } from '../../loop/approve/edits.js';
import { placeholdersInPatch } from '../../domain/placeholders.js';
import { PROPOSAL_STATUSES, type Proposal, type ProposalStatus } from '../../domain/proposal.js';
import { scrubPersonalData } from '../../domain/scrub.js';
import { html, page, type Html } from './html.js';
import { describeWindowShare } from '../../domain/finding.js';
import { percent } from '../../domain/format.js';

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
        <td>${p.accountId}</td>
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
    ${
      rows.length === 0
        ? html`<p class="muted">No ${input.status === 'all' ? '' : input.status} proposals.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Title</th>
                <th>Status</th>
                <th>Account</th>
                <th>Change</th>
                <th>Conversations</th>
                <th>Created (UTC)</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
    }`;
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
function evidenceView(p: Proposal): Html {
  const quotes = p.finding.evidence.map(
    (e) =>
      html`<blockquote>
        ${scrubPersonalData(e.quote.replace(/\s+/g, ' ').trim()).text}
        <div class="muted">conversation <code>${e.conversationId}</code></div>
      </blockquote>`,
  );
  return html`<section aria-label="Evidence">
    <h2>Evidence</h2>
    ${quotes.length === 0 ? html`<p class="muted">No quotes.</p>` : quotes}
  </section>`;
}

function resultView(p: Proposal): Html {
  const r = p.result;
  const lines = [
    r.appliedAt === undefined ? '' : html`<p>Applied at ${r.appliedAt}.</p>`,
    r.resourceId === undefined ? '' : html`<p>Resource <code>${r.resourceId}</code>.</p>`,
    r.error === undefined ? '' : html`<p><strong>Error:</strong> ${r.error}</p>`,
    r.replay === undefined
      ? ''
      : html`<p>Replay: fixed ${r.replay.fixed} of ${r.replay.total} conversations.</p>`,
  ];
  return lines.every((l) => l === '')
    ? html``
    : html`<section aria-label="Result">
        <h2>Result</h2>
        ${lines}
      </section>`;
}

function historyView(p: Proposal): Html {
  return html`<section aria-label="History">
    <h2>History</h2>
    <table>
      <thead>
        <tr>
          <th>When (UTC)</th>
          <th>Status</th>
          <th>By</th>
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        ${p.history.map(
          (e) =>
            html`<tr>
              <td>${e.at.replace('T', ' ').slice(0, 19)}</td>
              <td>${statusBadge(e.status)}</td>
              <td>${e.actor}</td>
              <td>${e.note ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
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
  const csrf = html`<input type="hidden" name="_csrf" value="${csrfToken}" />`;
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

export interface DetailPageInput {
  who: string;
  proposal: Proposal;
  permission: Permission;
  flash?: Flash;
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
      ${statusBadge(p.status)} · account <code>${p.accountId}</code> · <code>${p.id}</code>
      ${
        p.revertOf === null
          ? ''
          : html` · reverts
              <a href="/proposals/${encodeURIComponent(p.revertOf)}">${p.revertOf}</a>`
      }
    </p>
    ${flashBox(input.flash)} ${findingView(p)}
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
    ${evidenceView(p)} ${resultView(p)} ${decide} ${historyView(p)}`;
  return page({ title: p.title, who: input.who, body });
}
