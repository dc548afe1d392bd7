/**
 * What a scale run measured: calls against the rate limits (from the arrival proxy), work done
 * more than once (from the diagnose jobs) and process memory (from /proc).
 */
import { readFile } from 'node:fs/promises';
import { GROUP_LIMITS } from '../src/klaviyo/index.js';
import { maxInWindow, type ArrivalProxy } from './arrival-proxy.js';

const STEADY = GROUP_LIMITS.conversations.steady;
const BURST = GROUP_LIMITS.conversations.burst;
/** Message fetches the pull keeps in flight: after a 429 at most the others may still arrive. */
const PULL_CONCURRENCY = 3;
/** The sandbox's shortest Retry-After (whole seconds, at least one). */
const MIN_RETRY_AFTER_MS = 1000;

export interface WorkerMemory {
  pid: number;
  /** RSS when the cycle was enqueued (the process had started and connected). */
  startMb: number;
  /** Highest RSS sampled during the cycle. */
  cycleMaxMb: number;
  /** The kernel's high-water mark over the process's life (VmHWM), start-up included. */
  peakMb: number;
}

/** One completed diagnose job: its conversations and what its last attempt did. */
export interface DiagnoseJob {
  conversations: { id: string; updatedAt: string }[];
  diagnosed: number;
  skipped: number;
  attemptsStarted: number;
  /** Epoch ms, from the clock of the worker that finished it (all on one machine here). */
  finishedOn: number;
}

/** Conversations in several jobs, skipped as already diagnosed, or in a job started twice. */
export function countDuplicates(jobs: DiagnoseJob[]): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const job of jobs) {
    for (const { id } of job.conversations) {
      if (seen.has(id)) duplicates += 1;
      seen.add(id);
    }
    duplicates += job.skipped + Math.max(0, job.attemptsStarted - 1) * job.conversations.length;
  }
  return duplicates;
}

/**
 * The conversations group's calls (listing and message fetches) against its limits, in sliding
 * windows; a 429 is honoured when nothing but the requests already in flight arrives before the
 * shortest Retry-After has passed.
 */
export function callsAgainstLimits(arrivals: ArrivalProxy['arrivals'], scale: number) {
  const group = arrivals.filter((a) => a.path.startsWith('/api/customer-agent-conversations'));
  const times = group.map((a) => a.at);
  const steadyWindowMs = STEADY.windowMs / scale;
  const activeMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
  // Calls the ceiling allows over the same span (the first call opens the window).
  const allowed = (activeMs / steadyWindowMs) * STEADY.limit + 1;
  const unhonoured429s = group.filter((a) => {
    if (a.status !== 429) return false;
    const during = times.filter((t) => t > a.at && t < a.at + MIN_RETRY_AFTER_MS);
    return during.length > PULL_CONCURRENCY - 1;
  }).length;
  return {
    rateLimited: arrivals.filter((a) => a.status === 429).length,
    calls: times.length,
    callsPerMinute: activeMs > 0 ? times.length / (activeMs / steadyWindowMs) : 0,
    ceilingShare: times.length / allowed,
    maxPerSteadyWindow: maxInWindow(times, steadyWindowMs),
    maxPerBurstWindow: maxInWindow(times, BURST.windowMs / scale),
    unhonoured429s,
  };
}

/** Samples a process's RSS from /proc while the cycle runs (Linux). */
export class MemorySampler {
  private readonly startMb: Promise<number>;
  private maxMb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.startMb = this.sample();
    this.timer = setInterval(() => void this.sample().catch(() => undefined), 250);
  }

  async stop(): Promise<WorkerMemory> {
    clearInterval(this.timer);
    const status = await procStatus(this.pid);
    return {
      pid: this.pid,
      startMb: await this.startMb,
      cycleMaxMb: Math.max(this.maxMb, status.rssMb),
      peakMb: status.hwmMb,
    };
  }

  private async sample(): Promise<number> {
    const { rssMb } = await procStatus(this.pid);
    this.maxMb = Math.max(this.maxMb, rssMb);
    return rssMb;
  }
}

/** A process's RSS and its high-water mark (VmHWM), in MB, from /proc (Linux). */
export async function procStatus(pid: number): Promise<{ rssMb: number; hwmMb: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}
