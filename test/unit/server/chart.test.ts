import { describe, expect, it } from 'vitest';
import {
  CHART_LAYOUT,
  trendChart,
  type ChartMarker,
  type ChartPoint,
} from '../../../src/server/web/chart.js';
import { toString } from '../../../src/server/web/html.js';
import { elementsNamed, parseXml, textOf, type XmlElement } from '../../helpers/xml.js';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00.000Z');

/** `days` daily points from 2026-01-01, the rate rising and volumes alternating. */
function daily(days: number): ChartPoint[] {
  return Array.from({ length: days }, (_, i) => ({
    windowStart: new Date(START + i * DAY).toISOString(),
    windowEnd: new Date(START + (i + 1) * DAY).toISOString(),
    resolutionRate: 0.5 + i / 100,
    volume: i % 2 === 0 ? 50 : 100,
  }));
}

function render(points: ChartPoint[], markers: ChartMarker[] = []): string {
  return toString(trendChart({ title: 'Resolution rate', points, markers, volumeLabel: 'chats' }));
}

/** The chart's SVG, parsed strictly as XML. */
function svgOf(markup: string): XmlElement {
  const svg = /<svg[\s\S]*<\/svg>/.exec(markup)?.[0];
  expect(svg).toBeDefined();
  return parseXml(svg ?? '');
}

const plotWidth = CHART_LAYOUT.width - CHART_LAYOUT.left - CHART_LAYOUT.right;
const markerLines = (svg: XmlElement) =>
  elementsNamed(svg, 'g')
    .filter((g) => g.attributes['class'] === 'marker')
    .map((g) => elementsNamed(g, 'line')[0] as XmlElement);

describe('trendChart', () => {
  it('is well-formed SVG with a title, a description and an accessible name', () => {
    const svg = svgOf(render(daily(10)));
    expect(svg.name).toBe('svg');
    expect(svg.attributes['role']).toBe('img');
    expect(svg.attributes['aria-label']).toMatch(/10 metric points from 2026-01-01 to 2026-01-11/);
    expect(svg.attributes['aria-label']).toContain('50.0% at the first point, 59.0% at the last');
    expect(textOf(elementsNamed(svg, 'title')[0] as XmlElement)).toBe('Resolution rate');
    expect(elementsNamed(svg, 'desc')).toHaveLength(1);
    expect(elementsNamed(svg, 'polyline')).toHaveLength(1);
    expect(elementsNamed(svg, 'circle')).toHaveLength(10);
  });

  it('draws each bar over its window, as high as its volume', () => {
    const rects = elementsNamed(svgOf(render(daily(10))), 'rect');
    expect(rects).toHaveLength(10);
    const height = (r: XmlElement | undefined) => Number(r?.attributes['height']);
    expect(height(rects[1])).toBeCloseTo(2 * height(rects[0]), 0);
    // The first window starts at the plot's left edge (one pixel of gap).
    expect(Number(rects[0]?.attributes['x'])).toBeCloseTo(CHART_LAYOUT.left + 1, 0);
  });

  it('puts each change at the x of its date, this change in red', () => {
    const svg = svgOf(
      render(daily(10), [
        { at: '2026-01-06T00:00:00.000Z', label: 'This change', current: true, href: '/p/1' },
        { at: '2026-01-01T00:00:00.000Z', label: 'Earlier change', href: '/p/0' },
      ]),
    );
    const [earlier, current] = markerLines(svg);
    expect(Number(earlier?.attributes['x1'])).toBeCloseTo(CHART_LAYOUT.left, 0);
    expect(Number(current?.attributes['x1'])).toBeCloseTo(CHART_LAYOUT.left + plotWidth / 2, 0);
    expect(current?.attributes['stroke']).toBe('#cf222e');
    expect(earlier?.attributes['stroke-dasharray']).toBeDefined();
    const links = elementsNamed(svg, 'a').map((a) => a.attributes['href']);
    expect(links).toEqual(['/p/0', '/p/1']);
  });

  it('widens the time axis to a change outside the points', () => {
    const svg = svgOf(render(daily(10), [{ at: '2026-01-21T00:00:00.000Z', label: 'Later' }]));
    const [later] = markerLines(svg);
    expect(Number(later?.attributes['x1'])).toBeCloseTo(CHART_LAYOUT.left + plotWidth, 0);
    const dates = elementsNamed(svg, 'text')
      .map(textOf)
      .filter((t) => /^\d{4}-\d{2}-\d{2}$/.test(t));
    expect(dates).toEqual(['2026-01-01', '2026-01-21']);
  });

  it('escapes hostile labels and titles in the SVG and the lists', () => {
    const hostile = '<script>alert(1)</script> & "x" \'y\'';
    const markup = toString(
      trendChart({
        title: `Account <img src=x onerror=alert(1)>`,
        points: daily(3),
        markers: [{ at: '2026-01-02T00:00:00.000Z', label: hostile, href: '/proposals/a"b' }],
        volumeLabel: '<b>chats</b>',
      }),
    );
    expect(markup).not.toContain('<script>');
    expect(markup).not.toContain('<img');
    expect(markup).not.toContain('<b>chats');
    const svg = svgOf(markup);
    expect(elementsNamed(svg, 'script')).toHaveLength(0);
    const marker = elementsNamed(svg, 'g').find((g) => g.attributes['class'] === 'marker');
    expect(textOf(elementsNamed(marker as XmlElement, 'title')[0] as XmlElement)).toBe(
      `2026-01-02: ${hostile}`,
    );
    expect(elementsNamed(svg, 'a')[0]?.attributes['href']).toBe('/proposals/a"b');
    expect(textOf(elementsNamed(svg, 'title')[0] as XmlElement)).toBe(
      'Account <img src=x onerror=alert(1)>',
    );
  });

  it('says there are no metric points yet, and still lists the changes', () => {
    const markup = render(
      [],
      [{ at: '2026-01-02T00:00:00.000Z', label: 'A change', href: '/p/1' }],
    );
    expect(markup).not.toContain('<svg');
    expect(markup).toContain('No metric points yet');
    expect(markup).toContain('<a href="/p/1">A change</a>');
  });

  it('draws a single point as a dot and a bar, without a line', () => {
    const svg = svgOf(render(daily(1)));
    expect(elementsNamed(svg, 'polyline')).toHaveLength(0);
    expect(elementsNamed(svg, 'circle')).toHaveLength(1);
    expect(elementsNamed(svg, 'rect')).toHaveLength(1);
  });

  it('follows the chart with the numbers as a table', () => {
    const markup = render(daily(2));
    expect(markup).toMatch(
      /<th>Window \(UTC\)<\/th>\s*<th>Resolution rate<\/th>\s*<th>chats<\/th>/,
    );
    expect(markup).toContain('<td>2026-01-02 – 2026-01-03</td>');
    expect(markup).toContain('<td>51.0%</td>');
  });

  it('leaves out points without a rate from the line and changes with unreadable dates', () => {
    const points = daily(3).map((p, i) => (i === 1 ? { ...p, resolutionRate: null } : p));
    const svg = svgOf(render(points, [{ at: 'not a date', label: 'Broken' }]));
    expect(elementsNamed(svg, 'circle')).toHaveLength(2);
    expect(markerLines(svg)).toHaveLength(0);
  });
});

describe('parseXml (the test helper)', () => {
  it.each([
    ['<svg><g></svg>', 'crossed tags'],
    ['<svg a=1></svg>', 'unquoted attribute'],
    ['<svg a="1" a="2"></svg>', 'repeated attribute'],
    ['<svg>&nbsp;</svg>', 'unknown entity'],
    ['<svg>a & b</svg>', 'bare ampersand'],
    ['<svg><g>', 'unclosed'],
  ])('refuses %s (%s)', (text) => {
    expect(() => parseXml(text)).toThrow();
  });
});
