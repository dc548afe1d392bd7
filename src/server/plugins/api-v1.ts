import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { PROPOSAL_STATUSES } from '../../domain/proposal.js';
import type { FindingStore } from '../../store/findings.js';
import type { HeldDraftStore } from '../../store/held-drafts.js';
import type { ProposalStore } from '../../store/proposals.js';

/**
 * The read-only JSON API under the server's auth: what the pages show, for the dashboards and
 * scripts of agencies running many stores. Every list pages (`page`, `limit`) and says its total.
 *
 *   GET /api/v1/proposals?account=&status=&since=&until=&page=&limit=
 *   GET /api/v1/proposals/:id          the proposal and the drafts waiting behind it
 *   GET /api/v1/findings?account=&page=&limit=   the latest synthesis' findings, by impact
 */

export interface ApiV1Options {
  proposals: Pick<ProposalStore, 'page' | 'get'>;
  heldDrafts: Pick<HeldDraftStore, 'behind'>;
  findings: Pick<FindingStore, 'latest'>;
  /** The accounts this server runs: the findings listed without `account`. */
  accounts: readonly string[];
}

const MAX_LIMIT = 200;

const Paging = {
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
};
const IsoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

const ProposalsQuery = z.strictObject({
  account: z.string().min(1).optional(),
  status: z.enum(PROPOSAL_STATUSES).optional(),
  since: IsoDate.optional(),
  until: IsoDate.optional(),
  ...Paging,
});
const FindingsQuery = z.strictObject({ account: z.string().min(1).optional(), ...Paging });
const IdParams = z.object({ id: z.string().min(1).max(200) });

function badRequest(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const issue = error.issues[0];
  const where = issue?.path.join('.') || 'query';
  return reply.code(400).send({
    error: 'Bad request',
    detail: `${where}: ${issue?.message ?? 'invalid'}`,
    next: 'Fix the query parameter and try again (see the README, "Read-only API").',
  });
}

function pageInfo(page: number, limit: number, total: number) {
  return { page, limit, total, pages: Math.max(1, Math.ceil(total / limit)) };
}

const apiV1Plugin: FastifyPluginAsync<ApiV1Options> = async (server, options) => {
  server.get('/api/v1/proposals', async (request, reply) => {
    const query = ProposalsQuery.safeParse(request.query);
    if (!query.success) return badRequest(reply, query.error);
    const { account, status, since, until, page, limit } = query.data;
    const found = await options.proposals.page({
      ...(account === undefined ? {} : { accountId: account }),
      ...(status === undefined ? {} : { status }),
      ...(since === undefined ? {} : { createdSince: new Date(since) }),
      ...(until === undefined ? {} : { createdBefore: new Date(until) }),
      offset: (page - 1) * limit,
      limit,
    });
    return { data: found.proposals, paging: pageInfo(page, limit, found.total) };
  });

  server.get('/api/v1/proposals/:id', async (request, reply) => {
    const params = IdParams.safeParse(request.params);
    if (!params.success) return badRequest(reply, params.error);
    const proposal = await options.proposals.get(params.data.id);
    if (proposal === null) {
      return reply.code(404).send({
        error: 'Proposal not found',
        detail: `There is no proposal ${params.data.id} in this deployment's store.`,
      });
    }
    return { data: proposal, waitingBehind: await options.heldDrafts.behind(proposal.id) };
  });

  server.get('/api/v1/findings', async (request, reply) => {
    const query = FindingsQuery.safeParse(request.query);
    if (!query.success) return badRequest(reply, query.error);
    const { account, page, limit } = query.data;
    const accounts = account === undefined ? options.accounts : [account];
    const latest = await Promise.all(accounts.map((id) => options.findings.latest(id)));
    const all = latest
      .flatMap((run) =>
        run === null
          ? []
          : run.findings.map((f) => {
              // A finding whose failure no longer happened in a replay: not proposed, and why.
              const found = run.unreproduced.find((u) => u.findingId === f.id);
              const notProposed = found === undefined ? {} : { unreproduced: found.reproduction };
              return { ...f, runId: run.runId, computedAt: run.at, ...notProposed };
            }),
      )
      .sort((a, b) => b.impact - a.impact || a.id.localeCompare(b.id));
    const start = (page - 1) * limit;
    return { data: all.slice(start, start + limit), paging: pageInfo(page, limit, all.length) };
  });
};

export default apiV1Plugin;
