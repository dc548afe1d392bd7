import { InvalidArgumentError } from 'commander';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../src/time.js';

/** Option parser: a whole number of at least 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Option parser: `30m`, `24h`, `7d` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(m|h|d)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('use a number with m, h or d, e.g. 24h');
  const unit = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS }[match[2] as 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
