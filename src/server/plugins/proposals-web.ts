import { createHash } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Decisions } from '../../loop/approve/decide.js';
import { editedPatch } from '../../loop/approve/edits.js';
import { ApprovalRefusedError, isApprover } from '../../loop/approve/approvers.js';
import { placeholdersInPatch } from '../../domain/placeholders.js';
import { PROPOSAL_STATUSES, type Proposal } from '../../domain/proposal.js';
import {
  ProposalChangedError,
  ProposalNotFoundError,
  ProposalStateError,
} from '../../store/proposal-errors.js';
import type { HeldDraftStore } from '../../store/held-drafts.js';
import type { SnapshotStore } from '../../store/snapshots.js';
import { exchangeAround, type Exchange } from '../web/exchange.js';
import type { ProposalStore } from '../../store/proposals.js';
import type { ReportStore } from '../../store/reports.js';
import { proposalTrendChart, type TrendSources } from '../web/trend.js';
import type { ServerAuth } from './auth.js';
import { replyProblem, whoIs } from './errors.js';
import {
  detailPage,
  fillField,
  listPage,
  type Flash,
  type Permission,
} from '../web/proposal-pages.js';
import type { SuspiciousConversation } from '../../loop/diagnose/suspicious.js';
import { suspiciousPage } from '../web/suspicious-page.js';

/**
 * `/proposals`: the proposals by status, and each proposal's page with its diff, evidence and
 * history. People signed in as users (HTTP Basic, SERVER_USERS) who are approvers of the account
 * (`web:<name>` in its approvers) get approve / reject / edit forms; tokens read only.
 *
 * Forms are CSRF-protected: a browser sends Basic credentials with any cross-site form post, so
 * each form carries a token bound to a secret cookie AND to the signed-in name (HMAC keyed by the
 * server's credentials, so every server of a deployment accepts every other's tokens). Forms also
 * carry the proposal's revision the page showed: a decision on a proposal edited since is
 * refused and the new version shown. Proposals of accounts this server does not run are shown
 * read-only. Helmet's headers (no framing, a strict CSP) are the server's, on every route.
 */

const CSRF_COOKIE = 'agent-trainer-csrf';
/** How far back `/suspicious` looks. */
const SUSPICIOUS_DAYS = 30;
const DoneSchema = z.enum(['approved', 'applying-anyway', 'rejected', 'edited', 'unchanged']);
type Done = z.infer<typeof DoneSchema>;
const DONE_TEXT: Record<Done, string> = {
  approved:
    'Approved; the change is being applied (or waits while another change to its target is measured).',
  'applying-anyway': 'Applying it now; both impact checks will say the attribution is shared.',
  rejected: 'Rejected.',
  edited: 'Saved the edit.',
  unchanged: 'Nothing to save: the text and fills were unchanged.',
};

const ListQuery = z.object({
  status: z.enum(['all', ...PROPOSAL_STATUSES]).default('pending'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
});
/** Proposals per list page: each page is one read of an index (see ProposalStore.page). */
const PAGE_SIZE = 50;
const DetailQuery = z.object({ done: DoneSchema.optional() });
const IdParams = z.object({ id: z.string().min(1).max(200) });
const FormBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
type Form = z.infer<typeof FormBody>;

function userName(request: FastifyRequest): string | undefined {
  return request.principal?.kind === 'user' ? request.principal.name : undefined;
}

/** A form field as one string ('' when absent; the first value when repeated). */
function field(body: Form, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The non-blank fills of the proposal's placeholders from `fill_<i>` fields. */
function fillsFrom(proposal: Proposal, body: Form): Record<string, string> {
  const fills: Record<string, string> = {};
  placeholdersInPatch(proposal.patch).forEach((description, i) => {
    const value = field(body, fillField(i)).trim();
    if (value !== '') fills[description] = value;
  });
  return fills;
}

/** The revision the form was rendered for; a missing or garbled one matches none (0). */
function revisionFrom(body: Form): number {
  const value = Number(field(body, 'revision'));
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** HTTP status of a refused decision; other errors are the server's. */
function refusalStatus(error: unknown): number | null {
  if (error instanceof ProposalNotFoundError) return 404;
  if (error instanceof ProposalStateError || error instanceof ProposalChangedError) return 409;
  if (error instanceof ApprovalRefusedError) return error.reason === 'not-approver' ? 403 : 422;
  return null;
}

export interface ProposalsWebOptions {
  /** Reads the pages show. */
  proposals: ProposalStore;
  /** Drafts waiting behind a proposal (shown on its page). */
  heldDrafts: Pick<HeldDraftStore, 'behind'>;
  /** The stored conversations the evidence comes from (shown as exchanges). */
  snapshots: Pick<SnapshotStore, 'get'>;
  /** The metric points the proposal's trend chart draws. */
  reports: Pick<ReportStore, 'range'>;
  /** Names of skills, so the chart can find a proposal's skill in the reports. */
  skillNames?: TrendSources['skillNames'];
  now: () => Date;
  /** The accounts this server runs; other accounts' proposals are shown read-only. */
  accounts: readonly string[];
  /** Conversations flagged suspicious, for `/suspicious`: the accounts' recent diagnoses. */
  suspicious: (days: number) => Promise<SuspiciousConversation[]>;
  /** Where the forms' decisions go. */
  decisions: Decisions;
  auth: ServerAuth;
}

type Web = Omit<ProposalsWebOptions, 'auth'>;

/** Form parsing and CSRF tokens bound to the signed-in name. */
async function registerFormSecurity(server: FastifyInstance, auth: ServerAuth): Promise<void> {
  await server.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
  await server.register(fastifyCookie);
  await server.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/proposals', httpOnly: true, sameSite: 'strict', secure: 'auto' },
    getUserInfo: (request) => userName(request) ?? '',
    csrfOpts: {
      userInfo: true,
      hmacKey: createHash('sha256')
        .update(`csrf\0${JSON.stringify(auth)}`)
        .digest(),
    },
  });
}

/** Why the request may only read `proposal`, or null when it may decide (and edit). */
function readOnlyReason(web: Web, request: FastifyRequest, proposal: Proposal): string | null {
  if (!web.accounts.includes(proposal.accountId)) {
    return `This server does not run account ${proposal.accountId} (it runs ${web.accounts.join(', ')}), so this proposal is shown read-only. Decide on it where that account is configured, e.g. with the CLI that drafted it.`;
  }
  const name = userName(request);
  if (name === undefined) return 'Tokens can read proposals; sign in as a user to decide.';
  const actor = `web:${name}`;
  if (!isApprover(actor, web.decisions.account(proposal.accountId).approvers)) {
    return `${actor} is not an approver of account ${proposal.accountId}; add it to the account's approvers to decide here.`;
  }
  return null;
}

/** Whether the request may decide on `proposal`, and the token its forms need. */
function permission(
  web: Web,
  request: FastifyRequest,
  reply: FastifyReply,
  proposal: Proposal,
): Permission {
  const reason = readOnlyReason(web, request, proposal);
  const name = userName(request);
  if (reason !== null || name === undefined) {
    return { kind: 'read-only', reason: reason ?? 'Sign in as a user to decide.' };
  }
  return { kind: 'decide', csrfToken: reply.generateCsrf({ userInfo: name }) };
}

/** How many pieces of evidence the page shows in context. */
const MAX_EXCHANGES = 3;

/** The first pieces of evidence, one per conversation, in the context of their conversation. */
async function evidenceExchanges(web: Web, proposal: Proposal): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const seen = new Set<string>();
  for (const evidence of proposal.finding.evidence) {
    if (exchanges.length >= MAX_EXCHANGES || seen.has(evidence.conversationId)) continue;
    seen.add(evidence.conversationId);
    const snapshot = await web.snapshots.get(proposal.accountId, evidence.conversationId);
    const exchange = snapshot === null ? null : exchangeAround(snapshot, evidence);
    if (exchange !== null) exchanges.push(exchange);
  }
  return exchanges;
}

/** The proposal's page, with forms when the request may decide, and an optional flash. */
async function showProposal(
  web: Web,
  request: FastifyRequest,
  reply: FastifyReply,
  proposal: Proposal,
  flash?: Flash,
): Promise<string> {
  const allowed = permission(web, request, reply, proposal);
  const waiting = await web.heldDrafts.behind(proposal.id);
  const exchanges = await evidenceExchanges(web, proposal);
  const trend = await proposalTrendChart(web, proposal, { now: web.now() });
  reply.type('text/html; charset=utf-8');
  return detailPage({
    who: whoIs(request),
    proposal,
    permission: allowed,
    waiting,
    exchanges,
    trend,
    ...(flash ? { flash } : {}),
  });
}

/** The page for an id no proposal has. */
function notFound(request: FastifyRequest, reply: FastifyReply, id: string): FastifyReply {
  return replyProblem(request, reply, {
    status: 404,
    title: 'Proposal not found',
    detail: `There is no proposal ${id} in this deployment's store.`,
    next: 'Check the link, or pick the proposal from the list (it may have been drafted in another deployment).',
  });
}

/** `GET /proposals`: the proposals of one status (pending by default), with counts. */
function registerListPage(server: FastifyInstance, { proposals, accounts }: Web): void {
  server.get('/proposals', async (request, reply) => {
    const query = ListQuery.safeParse(request.query);
    if (!query.success) {
      return replyProblem(request, reply, {
        status: 400,
        title: 'Unknown status',
        detail: `Proposals have no status ${JSON.stringify((request.query as { status?: unknown }).status ?? '')}.`,
        next: `Use one of all, ${PROPOSAL_STATUSES.join(', ')}.`,
      });
    }
    const { status, page } = query.data;
    const offset = (page - 1) * PAGE_SIZE;
    const [counts, list] = await Promise.all([
      proposals.countByStatus(),
      proposals.page({ ...(status === 'all' ? {} : { status }), offset, limit: PAGE_SIZE }),
    ]);
    const paging = { page, pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)) };
    return reply.type('text/html; charset=utf-8').send(
      listPage({
        who: whoIs(request),
        status,
        counts,
        proposals: list.proposals,
        paging,
        accounts,
      }),
    );
  });
}

/** `GET /suspicious`: conversations that tried to instruct the loop, for a person to read. */
function registerSuspiciousPage(server: FastifyInstance, { suspicious }: Web): void {
  server.get('/suspicious', async (request, reply) => {
    const days = SUSPICIOUS_DAYS;
    return reply
      .type('text/html; charset=utf-8')
      .send(suspiciousPage({ who: whoIs(request), days, conversations: await suspicious(days) }));
  });
}

/** `GET /proposals/:id`: one proposal, with what the last decision did (`?done=`). */
function registerDetailPage(server: FastifyInstance, web: Web): void {
  server.get('/proposals/:id', async (request, reply) => {
    const { id } = IdParams.parse(request.params);
    const proposal = await web.proposals.get(id);
    if (proposal === null) return notFound(request, reply, id);
    const done = DetailQuery.safeParse(request.query).data?.done;
    const flash: Flash | undefined =
      done === undefined ? undefined : { kind: 'ok', text: DONE_TEXT[done] };
    return showProposal(web, request, reply, proposal, flash);
  });
}

type Verb = 'approve' | 'apply-anyway' | 'reject' | 'edit';
type Decide = (
  decisions: Decisions,
  proposal: Proposal,
  actor: string,
  body: Form,
) => Promise<Done>;

async function approveFromForm(
  decisions: Decisions,
  proposal: Proposal,
  actor: string,
  body: Form,
): Promise<Done> {
  await decisions.approve({
    proposalId: proposal.id,
    actor,
    fills: fillsFrom(proposal, body),
    revision: revisionFrom(body),
  });
  return 'approved';
}

async function applyAnywayFromForm(
  decisions: Decisions,
  proposal: Proposal,
  actor: string,
  body: Form,
): Promise<Done> {
  await decisions.approve({
    proposalId: proposal.id,
    actor,
    revision: revisionFrom(body),
    applyAnyway: true,
  });
  return 'applying-anyway';
}

async function rejectFromForm(
  decisions: Decisions,
  proposal: Proposal,
  actor: string,
  body: Form,
): Promise<Done> {
  const reason = field(body, 'reason').trim().slice(0, 500);
  await decisions.reject({
    proposalId: proposal.id,
    actor,
    revision: revisionFrom(body),
    ...(reason === '' ? {} : { reason }),
  });
  return 'rejected';
}

async function editFromForm(
  decisions: Decisions,
  proposal: Proposal,
  actor: string,
  body: Form,
): Promise<Done> {
  const text = body['text'] === undefined ? undefined : field(body, 'text').replace(/\r\n/g, '\n');
  const edited = await decisions.edit({
    proposalId: proposal.id,
    actor,
    note: 'edited on the web',
    revision: revisionFrom(body),
    patch: editedPatch(proposal, text),
    fills: fillsFrom(proposal, body),
  });
  return edited === null ? 'unchanged' : 'edited';
}

const DECIDE: Record<Verb, Decide> = {
  approve: approveFromForm,
  'apply-anyway': applyAnywayFromForm,
  reject: rejectFromForm,
  edit: editFromForm,
};

/**
 * `POST /proposals/:id/<verb>`: CSRF first (once the body is parsed), then the decision, then a
 * redirect to the page; refusals re-render the page with the reason and a 4xx status.
 */
function registerDecision(server: FastifyInstance, web: Web, verb: Verb): void {
  server.post(
    `/proposals/:id/${verb}`,
    { preHandler: server.csrfProtection },
    async (request, reply) => {
      const { id } = IdParams.parse(request.params);
      const body = FormBody.safeParse(request.body ?? {});
      const proposal = await web.proposals.get(id);
      if (proposal === null) return notFound(request, reply, id);
      const name = userName(request);
      const readOnly = readOnlyReason(web, request, proposal);
      if (name === undefined || readOnly !== null || !body.success) {
        reply.code(403);
        return showProposal(web, request, reply, proposal, {
          kind: 'error',
          text: readOnly ?? 'Sign in as a user to decide.',
        });
      }
      try {
        const done = await DECIDE[verb](web.decisions, proposal, `web:${name}`, body.data);
        return reply.redirect(`/proposals/${encodeURIComponent(id)}?done=${done}`, 303);
      } catch (error) {
        const status = refusalStatus(error);
        if (status === null) throw error;
        // The page shows the proposal as it is now: after a refusal for a newer revision, that
        // is the new version, with forms for it.
        const current = (await web.proposals.get(id)) ?? proposal;
        reply.code(status);
        return showProposal(web, request, reply, current, {
          kind: 'error',
          text: (error as Error).message,
        });
      }
    },
  );
}

const proposalsWeb: FastifyPluginAsync<ProposalsWebOptions> = async (server, options) => {
  const { auth, ...web } = options;
  await registerFormSecurity(server, auth);
  registerListPage(server, web);
  registerSuspiciousPage(server, web);
  registerDetailPage(server, web);
  for (const verb of Object.keys(DECIDE) as Verb[]) registerDecision(server, web, verb);
};

export default proposalsWeb;
