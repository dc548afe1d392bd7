import { ConfigError } from '../errors.js';
import type { RateLimitSetting } from './rate-limit.js';

/** Fault injection: a share of 5xx answers, added latency and a share of dropped connections. */
export interface FaultSettings {
  /** Share of requests (0–1) answered 503 with the ServerError body. */
  errorRate?: number;
  /** Added latency in ms: fixed, or a [min, max] range. */
  latencyMs?: number | [number, number];
  /** Share of requests (0–1) whose connection is destroyed without a response. */
  dropRate?: number;
}

/** Parses `spec`, `off` or `scale=N` (N > 0: every window divided by N). */
export function parseRateLimits(text: string): RateLimitSetting {
  const value = text.trim();
  if (value === 'spec' || value === 'off') return value;
  const scale = /^scale=(.+)$/.exec(value)?.[1];
  const n = Number(scale);
  if (scale !== undefined && Number.isFinite(n) && n > 0) return { scale: n };
  throw new ConfigError(
    `rate limits must be 'spec', 'off' or 'scale=N' with N > 0 (e.g. scale=20), got '${text}'`,
  );
}

/**
 * Parses a fault spec such as `5xx=0.1,latency=20-80,drop=0.02` (also `latency=50`);
 * an empty string or `none` means no faults.
 */
export function parseFaults(text: string): FaultSettings {
  const faults: FaultSettings = {};
  const value = text.trim();
  if (value === '' || value === 'none' || value === 'off') return faults;
  for (const part of value.split(',')) {
    const [key, raw = ''] = part.split('=').map((s) => s.trim());
    if (key === '5xx' || key === 'error' || key === 'errors') faults.errorRate = rate(key, raw);
    else if (key === 'drop') faults.dropRate = rate(key, raw);
    else if (key === 'latency') faults.latencyMs = latency(raw);
    else {
      throw new ConfigError(
        `unknown fault '${key ?? ''}' in '${text}'; use 5xx=<share>, latency=<ms>|<min>-<max>, drop=<share>`,
      );
    }
  }
  return faults;
}

function rate(key: string, raw: string): number {
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new ConfigError(`${key} must be a share from 0 to 1 (e.g. ${key}=0.1), got '${raw}'`);
  }
  return n;
}

function latency(raw: string): number | [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(raw);
  const min = Number(match?.[1]);
  const max = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || (max !== undefined && max < min)) {
    throw new ConfigError(
      `latency must be <ms> or <min>-<max> in ms (e.g. latency=20-80), got '${raw}'`,
    );
  }
  return max === undefined ? min : [min, max];
}

/** Checks programmatic fault settings (rates within 0–1, latencies not negative). */
export function checkFaults(faults: FaultSettings): FaultSettings {
  for (const [key, value] of [
    ['errorRate', faults.errorRate],
    ['dropRate', faults.dropRate],
  ] as const) {
    if (value !== undefined && !(value >= 0 && value <= 1)) {
      throw new ConfigError(`faults.${key} must be from 0 to 1, got ${value}`);
    }
  }
  const latencies =
    typeof faults.latencyMs === 'number' ? [faults.latencyMs] : (faults.latencyMs ?? []);
  if (latencies.some((ms) => !(ms >= 0))) {
    throw new ConfigError(`faults.latencyMs must not be negative, got ${String(faults.latencyMs)}`);
  }
  return faults;
}
