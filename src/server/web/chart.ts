import { percent } from '../../domain/format.js';
import { html, table, type Html } from './html.js';

/**
 * The trend chart of the pages, as server-rendered SVG (no scripts: the pages' CSP allows none):
 * the resolution rate per metric point as a line, the conversations per point as bars, and
 * vertical markers at the dates changes were applied, each labelled and linking to its proposal.
 * For screen readers and text browsers the SVG has a title, a description and an aria-label, and
 * the numbers follow as a table. Pure: data in, markup out; every label goes through `html`, so
 * a proposal title cannot become markup.
 */

/** One metric point: its window and the two numbers the chart draws (null when not reported). */
export interface ChartPoint {
  windowStart: string;
  windowEnd: string;
  /** 0..1 */
  resolutionRate: number | null;
  volume: number | null;
}

/** A change marked on the time axis. */
export interface ChartMarker {
  /** When it was applied (ISO); markers with an unreadable date are left out. */
  at: string;
  label: string;
  /** Its page. */
  href?: string;
  /** The change the page is about: drawn in red, the others grey and dashed. */
  current?: boolean;
  /** Said after the label in the list, e.g. "same target". */
  note?: string;
}

export interface TrendChartInput {
  /** What the chart shows, for its `<title>`. */
  title: string;
  points: readonly ChartPoint[];
  markers?: readonly ChartMarker[];
  /** What the bars count, e.g. "conversations". */
  volumeLabel: string;
}

/** The drawing's size and the margins around the plot (exported for tests of positions). */
export const CHART_LAYOUT = {
  width: 720,
  height: 260,
  left: 44,
  right: 56,
  /** Room for three staggered rows of marker labels. */
  top: 48,
  bottom: 28,
} as const;

const COLORS = {
  line: '#1d4ed8',
  bar: '#c7d2fe',
  grid: '#e5e5ea',
  axis: '#6e6e73',
  current: '#cf222e',
  marker: '#6e6e73',
} as const;

/** Characters of a marker's label drawn in the SVG; the whole label is its tooltip and listed. */
const MARKER_LABEL_CHARS = 28;

const plotWidth = CHART_LAYOUT.width - CHART_LAYOUT.left - CHART_LAYOUT.right;
const plotHeight = CHART_LAYOUT.height - CHART_LAYOUT.top - CHART_LAYOUT.bottom;
const plotBottom = CHART_LAYOUT.height - CHART_LAYOUT.bottom;

/** Coordinates with one decimal: enough for a pixel, short in the page. */
const n = (value: number): string => String(Math.round(value * 10) / 10);
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const day = (iso: string): string => dayOf(Date.parse(iso));
const windowOf = (p: ChartPoint): string => `${day(p.windowStart)} – ${day(p.windowEnd)}`;
const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** Maps a time (ms) to x over `[from, to]` (never empty: a point's window has a length). */
function timeScale(from: number, to: number): (ms: number) => number {
  return (ms) => CHART_LAYOUT.left + ((ms - from) / (to - from)) * plotWidth;
}

const rateY = (rate: number): number => plotBottom - rate * plotHeight;

/** The rate and volume axes, and the dates at the ends of the time axis (`from`, `to` in ms). */
function gridAndAxes(maxVolume: number, from: number, to: number): Html {
  const rates = [0, 0.5, 1];
  const rightX = CHART_LAYOUT.width - CHART_LAYOUT.right;
  return html`<g font-size="11" fill="${COLORS.axis}">
    ${rates.map(
      (r) =>
        html`<line
            x1="${n(CHART_LAYOUT.left)}"
            x2="${n(rightX)}"
            y1="${n(rateY(r))}"
            y2="${n(rateY(r))}"
            stroke="${COLORS.grid}"
          />
          <text x="${n(CHART_LAYOUT.left - 4)}" y="${n(rateY(r) + 4)}" text-anchor="end"
            >${percent(r, { digits: 0 })}</text
          >`,
    )}
    <text x="${n(rightX + 4)}" y="${n(rateY(0) + 4)}">0</text>
    <text x="${n(rightX + 4)}" y="${n(rateY(1) + 4)}">${maxVolume.toLocaleString('en-US')}</text>
    <text x="${n(CHART_LAYOUT.left)}" y="${n(CHART_LAYOUT.height - 8)}">${dayOf(from)}</text>
    <text x="${n(rightX)}" y="${n(CHART_LAYOUT.height - 8)}" text-anchor="end">${dayOf(to)}</text>
  </g>`;
}

function bars(points: readonly ChartPoint[], x: (ms: number) => number, maxVolume: number): Html {
  return html`<g fill="${COLORS.bar}">
    ${points.map((p) => {
      if (p.volume === null) return '';
      const left = x(Date.parse(p.windowStart));
      const width = Math.max(1, x(Date.parse(p.windowEnd)) - left - 2);
      const height = maxVolume > 0 ? (p.volume / maxVolume) * plotHeight : 0;
      return html`<rect
        x="${n(left + 1)}"
        y="${n(plotBottom - height)}"
        width="${n(width)}"
        height="${n(height)}"
      >
        <title>${windowOf(p)}: ${p.volume.toLocaleString('en-US')}</title>
      </rect>`;
    })}
  </g>`;
}

function rateLine(points: readonly ChartPoint[], x: (ms: number) => number): Html {
  const rated = points.flatMap((p) =>
    p.resolutionRate === null
      ? []
      : [
          {
            x: x((Date.parse(p.windowStart) + Date.parse(p.windowEnd)) / 2),
            y: rateY(p.resolutionRate),
            title: `${windowOf(p)}: ${percent(p.resolutionRate)}`,
          },
        ],
  );
  return html`<g fill="${COLORS.line}">
    ${
      rated.length < 2
        ? ''
        : html`<polyline
            fill="none"
            stroke="${COLORS.line}"
            stroke-width="2"
            points="${rated.map((r) => `${n(r.x)},${n(r.y)}`).join(' ')}"
          />`
    }
    ${rated.map(
      (r) => html`<circle cx="${n(r.x)}" cy="${n(r.y)}" r="3"><title>${r.title}</title></circle>`,
    )}
  </g>`;
}

function markerLines(markers: readonly ChartMarker[], x: (ms: number) => number): Html {
  const middle = CHART_LAYOUT.left + plotWidth / 2;
  return html`<g font-size="11">
    ${markers.map((m, i) => {
      const at = x(Date.parse(m.at));
      const color = m.current ? COLORS.current : COLORS.marker;
      const y = 12 + (i % 3) * 13;
      const label = html`<text
        x="${n(at < middle ? at + 3 : at - 3)}"
        y="${n(y)}"
        fill="${color}"
        text-anchor="${at < middle ? 'start' : 'end'}"
        >${cut(m.label, MARKER_LABEL_CHARS)}</text
      >`;
      return html`<g class="marker">
        <title>${day(m.at)}: ${m.label}</title>
        <line
          x1="${n(at)}"
          x2="${n(at)}"
          y1="${n(y + 2)}"
          y2="${n(plotBottom)}"
          stroke="${color}"
          stroke-width="${m.current ? '2' : '1'}"
          ${m.current ? '' : html`stroke-dasharray="4 3"`}
        />
        ${m.href === undefined ? label : html`<a href="${m.href}">${label}</a>`}
      </g>`;
    })}
  </g>`;
}

/** One sentence saying what the chart shows, for its description and aria-label. */
function summary(input: TrendChartInput, markers: readonly ChartMarker[]): string {
  const rated = input.points.filter((p) => p.resolutionRate !== null);
  const first = rated[0]?.resolutionRate;
  const last = rated.at(-1)?.resolutionRate;
  const rates =
    first === undefined || last === undefined || first === null || last === null
      ? 'no resolution rate reported'
      : `resolution rate ${percent(first)} at the first point, ${percent(last)} at the last`;
  const changes =
    markers.length === 0
      ? 'no changes marked'
      : `${markers.length} change${markers.length === 1 ? '' : 's'} marked`;
  return `${input.title}: ${input.points.length} metric point${input.points.length === 1 ? '' : 's'} from ${day(input.points[0]?.windowStart ?? '')} to ${day(input.points.at(-1)?.windowEnd ?? '')}, ${rates}; ${changes}.`;
}

function markerList(markers: readonly ChartMarker[]): Html {
  return markers.length === 0
    ? html``
    : html`<ul class="markers">
        ${markers.map(
          (m) =>
            html`<li>
              ${day(m.at)} ·
              ${m.href === undefined ? m.label : html`<a href="${m.href}">${m.label}</a>`}
              ${m.current ? html`<span class="muted">(this change)</span>` : ''}
              ${m.note === undefined ? '' : html`<span class="muted">(${m.note})</span>`}
            </li>`,
        )}
      </ul>`;
}

function numbersTable(input: TrendChartInput): Html {
  const rows = input.points.map(
    (p) =>
      html`<tr>
        <td>${windowOf(p)}</td>
        <td>${p.resolutionRate === null ? '—' : percent(p.resolutionRate)}</td>
        <td>${p.volume === null ? '—' : p.volume.toLocaleString('en-US')}</td>
      </tr>`,
  );
  return html`<details>
    <summary>The numbers</summary>
    ${table(['Window (UTC)', 'Resolution rate', input.volumeLabel], rows, 'No metric points.')}
  </details>`;
}

/**
 * The chart, its legend and the numbers; with no metric points, a line saying so (and the
 * changes, listed). The time axis spans the points' windows and the marked changes.
 */
export function trendChart(input: TrendChartInput): Html {
  const markers = (input.markers ?? [])
    .filter((m) => !Number.isNaN(Date.parse(m.at)))
    .toSorted((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const points = input.points.toSorted((a, b) => Date.parse(a.windowEnd) - Date.parse(b.windowEnd));
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) {
    return html`<figure class="chart">
      <p class="muted">
        No metric points yet: the reports pull stores one per window, and the chart draws them.
      </p>
      ${markerList(markers)}
    </figure>`;
  }
  const times = [
    ...points.flatMap((p) => [Date.parse(p.windowStart), Date.parse(p.windowEnd)]),
    ...markers.map((m) => Date.parse(m.at)),
  ];
  const [from, to] = [Math.min(...times), Math.max(...times)];
  const x = timeScale(from, to);
  const maxVolume = Math.max(0, ...points.map((p) => p.volume ?? 0));
  const described = summary({ ...input, points }, markers);
  return html`<figure class="chart">
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 ${String(CHART_LAYOUT.width)} ${String(CHART_LAYOUT.height)}"
      width="100%"
      role="img"
      aria-label="${described}"
      font-family="system-ui, sans-serif"
    >
      <title>${input.title}</title>
      <desc>${described}</desc>
      ${gridAndAxes(maxVolume, from, to)} ${bars(points, x, maxVolume)} ${rateLine(points, x)}
      ${markerLines(markers, x)}
    </svg>
    <figcaption class="muted">
      Line: resolution rate (left axis). Bars: ${input.volumeLabel} (right axis).
      ${markers.some((m) => m.current) ? 'Red: this change; grey, dashed: other changes.' : ''}
      ${markers.length > 0 && !markers.some((m) => m.current) ? 'Dashed: changes applied.' : ''}
    </figcaption>
    ${markerList(markers)} ${numbersTable({ ...input, points })}
  </figure>`;
}
