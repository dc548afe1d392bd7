import { html, page } from './html.js';

/** What went wrong, for a person: the status, what happened, and what to do next. */
export interface Problem {
  status: number;
  /** A short heading: "Proposal not found". */
  title: string;
  /** What happened, in a sentence or two. */
  detail: string;
  /** What to do about it. */
  next: string;
}

/** The page a browser gets for a refused or failed request. Pure: data in, HTML out. */
export function errorPage(problem: Problem, who: string): string {
  const body = html`<h1>${problem.title}</h1>
    <section aria-label="What happened">
      <p role="alert">${problem.detail}</p>
      <p>${problem.next}</p>
      <p class="muted">HTTP ${String(problem.status)}</p>
    </section>
    <p><a href="/proposals">Proposals</a> · <a href="/admin/queues">Queues</a></p>`;
  return page({ title: problem.title, who, body });
}
