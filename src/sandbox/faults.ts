import type { FaultSettings } from './options.js';
import { Prng } from './prng.js';

/** What to do to one request, decided from a seeded generator (repeatable across runs). */
export interface FaultDecision {
  delayMs: number;
  drop: boolean;
  error: boolean;
}

/** Decides, per request, which faults to inject. */
export class FaultInjector {
  private readonly rng: Prng;

  constructor(
    private readonly settings: FaultSettings,
    seed: number,
  ) {
    this.rng = new Prng(seed ^ 0xfa017);
  }

  get enabled(): boolean {
    const { errorRate = 0, dropRate = 0, latencyMs = 0 } = this.settings;
    return errorRate > 0 || dropRate > 0 || latencyMs !== 0;
  }

  decide(): FaultDecision {
    const { errorRate = 0, dropRate = 0, latencyMs = 0 } = this.settings;
    const delayMs =
      typeof latencyMs === 'number' ? latencyMs : this.rng.int(latencyMs[0], latencyMs[1]);
    // Draw both numbers every time so one setting does not shift the other's sequence.
    const dropDraw = this.rng.next();
    const errorDraw = this.rng.next();
    return { delayMs, drop: dropDraw < dropRate, error: errorDraw < errorRate };
  }
}
