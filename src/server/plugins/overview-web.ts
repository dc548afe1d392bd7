import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { FindingStore } from '../../store/findings.js';
import type { ProposalStore } from '../../store/proposals.js';
import type { ReportStore } from '../../store/reports.js';
import { overviewPage } from '../web/overview-page.js';
import { accountTrendChart, appliedChanges, CHANGES_SHOWN } from '../web/trend.js';
import { replyProblem, whoIs } from './errors.js';

/**
 * `/`: the overview of one account this server runs (`?account=`, the first by default; agencies
 * run many stores): its trend, its open findings by impact and the changes applied with their
 * measured effect, each linking to its proposal. Read-only, so every signed-in principal sees it.
 */

export interface OverviewWebOptions {
  proposals: Pick<ProposalStore, 'list'>;
  reports: Pick<ReportStore, 'range'>;
  findings: Pick<FindingStore, 'latest'>;
  /** The accounts this server runs, the first shown by default. */
  accounts: readonly string[];
  now: () => Date;
}

const OverviewQuery = z.object({ account: z.string().min(1).max(200).optional() });

const overviewWeb: FastifyPluginAsync<OverviewWebOptions> = async (server, options) => {
  server.get('/', async (request, reply) => {
    const query = OverviewQuery.safeParse(request.query);
    const accountId = (query.success ? query.data.account : undefined) ?? options.accounts[0];
    if (accountId === undefined || !options.accounts.includes(accountId)) {
      return replyProblem(request, reply, {
        status: 404,
        title: 'Unknown account',
        detail: `This server does not run account ${JSON.stringify(accountId ?? '')}.`,
        next: `Pick one of ${options.accounts.join(', ')}.`,
      });
    }
    const [changes, findings, pending] = await Promise.all([
      appliedChanges(options.proposals, accountId),
      options.findings.latest(accountId),
      options.proposals.list({ accountId, status: 'pending', limit: CHANGES_SHOWN }),
    ]);
    const trend = await accountTrendChart(options, accountId, { now: options.now(), changes });
    return reply.type('text/html; charset=utf-8').send(
      overviewPage({
        who: whoIs(request),
        accounts: options.accounts,
        accountId,
        trend,
        findings,
        proposals: [...pending, ...changes].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
        changes,
      }),
    );
  });
};

export default overviewWeb;
