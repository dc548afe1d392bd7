/** Numbers as people read them in proposals, messages, pages and the command line. */

export interface PercentOptions {
  /** Decimals shown. @defaultValue 1 */
  digits?: number;
  /** Drop trailing zeros of the decimals ("70%" rather than "70.0%"). @defaultValue false */
  trim?: boolean;
}

/** A ratio as a percentage: 0.153 → "15.3%"; `{ digits: 0 }` → "15%". */
export function percent(ratio: number, { digits = 1, trim = false }: PercentOptions = {}): string {
  const fixed = (ratio * 100).toFixed(digits);
  return `${trim && fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed}%`;
}

/** A number rounded to `digits` decimals (for stored shares and rates, not for display). */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
