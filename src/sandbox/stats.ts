/** Counters of a running sandbox, for tests, the demo and benchmarks. */
export interface SandboxStats {
  /** Requests received, including faulted and dropped ones. */
  requests: number;
  /** operationId (or `unknown`) → HTTP status → count. */
  byOperation: Record<string, Record<string, number>>;
  /** Responses by HTTP status, all operations together. */
  byStatus: Record<string, number>;
  /** 429 responses sent. */
  rateLimited: number;
  faults: { errors: number; drops: number; delayed: number };
}

/** Collects the counters of `SandboxStats`. */
export class StatsCollector {
  private readonly data: SandboxStats = {
    requests: 0,
    byOperation: {},
    byStatus: {},
    rateLimited: 0,
    faults: { errors: 0, drops: 0, delayed: 0 },
  };

  received(): void {
    this.data.requests += 1;
  }

  responded(operationId: string, status: number): void {
    const byStatus = (this.data.byOperation[operationId] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    this.data.byStatus[status] = (this.data.byStatus[status] ?? 0) + 1;
    if (status === 429) this.data.rateLimited += 1;
  }

  fault(kind: keyof SandboxStats['faults']): void {
    this.data.faults[kind] += 1;
  }

  /** A deep copy, so callers can keep it as a snapshot. */
  snapshot(): SandboxStats {
    return structuredClone(this.data);
  }
}
