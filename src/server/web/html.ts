import escapeHtml from 'escape-html';

/**
 * A tiny HTML template helper: every interpolated value is escaped unless it is already `Html`
 * (built by this same tag), so text from proposals, transcripts or the LLM can never become markup.
 */

const HTML = Symbol('html');

export interface Html {
  readonly [HTML]: string;
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map((item: Value) => render(item)).join('');
  if (typeof value === 'object') return (value as Html)[HTML];
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\`` with `text` escaped; arrays are joined; null/undefined/booleans vanish. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return { [HTML]: out };
}

/**
 * A table with a header row, or `empty` (a muted line) when there are no rows: how every listing
 * of the pages is laid out.
 */
export function table(headers: readonly string[], rows: readonly Html[], empty: string): Html {
  return rows.length === 0
    ? html`<p class="muted">${empty}</p>`
    : html`<table>
        <thead>
          <tr>
            ${headers.map((h) => html`<th>${h}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>`;
}

/** The markup as a string, to send. */
export function toString(fragment: Html): string {
  return fragment[HTML];
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f8}
header{background:#1d1d1f;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:baseline}
header a{color:#fff;text-decoration:none}header .who{margin-left:auto;opacity:.8;font-size:.9em}
main{max-width:980px;margin:1.2rem auto;padding:0 1rem}
nav.tabs a{display:inline-block;padding:.3rem .7rem;margin:0 .2rem .4rem 0;border-radius:999px;background:#e8e8ed;color:#1d1d1f;text-decoration:none}
nav.tabs a[aria-current=page]{background:#1d1d1f;color:#fff}
table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e5e5ea;vertical-align:top}
.status{font-size:.8em;padding:.1rem .45rem;border-radius:4px;background:#e8e8ed;white-space:nowrap}
.status.pending{background:#fff3c4}.status.applied{background:#d4f5dd}.status.conflict,.status.failed{background:#ffd9d6}
section{background:#fff;border:1px solid #e5e5ea;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
pre.diff{overflow-x:auto;font:13px/1.4 ui-monospace,Menlo,monospace;margin:0}
pre.diff .add{background:#e6ffec;display:block}pre.diff .del{background:#ffebe9;display:block}pre.diff .hunk{color:#6e7781;display:block}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid #c7c7cc;color:#3a3a3c}
.exchange{margin:.6rem 0;padding:.2rem .8rem;border-left:3px solid #c7c7cc}.exchange p{margin:.3rem 0;color:#3a3a3c}.exchange .quoted{background:#fff4d6;padding:.1rem .3rem}
.flash{padding:.6rem 1rem;border-radius:6px;margin:1rem 0}.flash.ok{background:#d4f5dd}.flash.error{background:#ffd9d6}
form{margin:.4rem 0}section[aria-label=Decide] form{padding:.6rem 0;border-bottom:1px solid #e5e5ea}textarea{width:100%;font:13px ui-monospace,Menlo,monospace}input[type=text]{width:100%}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}
button{font:inherit;padding:.35rem .9rem;border-radius:6px;border:1px solid #c7c7cc;background:#fff;cursor:pointer}
button.approve{background:#1f883d;color:#fff;border-color:#1a7f37}button.reject{background:#cf222e;color:#fff;border-color:#a40e26}
.muted{color:#6e6e73;font-size:.9em}
figure.chart{margin:0}figure.chart svg{height:auto;max-width:100%}ul.markers{margin:.4rem 0;padding-left:1.2rem}
`;

/** The page around `body`: header with the signed-in name, inline styles, no scripts. */
export function page(options: { title: string; who: string; body: Html }): string {
  return toString(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>${options.title} · agent-trainer</title>
          <style>
            ${{ [HTML]: STYLE }}
          </style>
        </head>
        <body>
          <header>
            <a href="/"><strong>agent-trainer</strong></a>
            <a href="/">Overview</a>
            <a href="/proposals">Proposals</a>
            <a href="/admin/queues">Queues</a>
            <span class="who">${options.who}</span>
          </header>
          <main>${options.body}</main>
        </body>
      </html>`,
  );
}
