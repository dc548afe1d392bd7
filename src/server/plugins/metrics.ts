import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';
import type { Metrics, MetricsSources } from '../../metrics.js';
import { QUEUE_NAMES } from '../../queue/index.js';
import { acceptanceStats, decidedProposals } from '../../loop/approve/acceptance.js';

/**
 * The gauge sources of an app: its queues, proposal counts from the store's status sets, and
 * acceptance of the decided ones.
 */
export function metricsSources(app: App): MetricsSources {
  return {
    queues: QUEUE_NAMES.map((name) => app.queues[name]),
    proposalCounts: () => app.deps.stores.proposals.countByStatus(),
    acceptance: async () => acceptanceStats(await decidedProposals(app.deps.stores.proposals)),
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
