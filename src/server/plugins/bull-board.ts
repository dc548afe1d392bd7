import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsync } from 'fastify';
import type { Queues } from '../../queue/index.js';
import { QUEUE_NAMES } from '../../queue/index.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * The queue dashboard at `/admin/queues` over every queue. Not read-only: operators may retry
 * failed jobs and clean queues. Authentication comes from the server-wide auth hook.
 */
const bullBoardPlugin: FastifyPluginAsync<{ queues: Queues }> = async (server, options) => {
  const adapter = new FastifyAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map(
      (name) =>
        new BullMQAdapter(options.queues[name], { readOnlyMode: false, allowRetries: true }),
    ),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'agent-trainer' } },
  });
  await server.register(adapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
};

export default bullBoardPlugin;
