import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';
import type { Metrics, MetricsSources } from '../../metrics.js';
import { PROPOSAL_STATUSES, type ProposalStatus } from '../../loop/proposal.js';
import { QUEUE_NAMES } from '../../queue/index.js';

/**
 * The gauge sources of an app: its queues, and proposal counts from the store. The store has no
 * count query yet, so this lists every proposal; fine for the hundreds a deployment holds.
 */
export function metricsSources(app: App): MetricsSources {
  return {
    queues: QUEUE_NAMES.map((name) => app.queues[name]),
    proposalCounts: async () => {
      const proposals = await app.deps.stores.proposals.list({ limit: Number.MAX_SAFE_INTEGER });
      const counts = Object.fromEntries(PROPOSAL_STATUSES.map((s) => [s, 0])) as Record<
        ProposalStatus,
        number
      >;
      for (const proposal of proposals) counts[proposal.status] += 1;
      return counts;
    },
  };
}

/** `/metrics` in the Prometheus text format, gauges collected at each scrape. */
const metricsPlugin: FastifyPluginAsync<{ metrics: Metrics }> = async (server, options) => {
  const { metrics } = options;
  server.get('/metrics', async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.render()),
  );
};

export default metricsPlugin;
