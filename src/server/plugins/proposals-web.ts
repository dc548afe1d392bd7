import { createHash } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DecisionContext } from '../../loop/approve/decide.js';
import { editedPatch, saveEdit } from '../../loop/approve/edits.js';
import {
  ApprovalRefusedError,
  approveProposal,
  isApprover,
  rejectProposal,
} from '../../loop/approve/transitions.js';
import { placeholdersInPatch } from '../../domain/placeholders.js';
import { PROPOSAL_STATUSES, type Proposal } from '../../domain/proposal.js';
import { ProposalNotFoundError, ProposalStateError } from '../../store/proposal-errors.js';
import type { ServerAuth } from './auth.js';
import {
  detailPage,
  fillField,
  listPage,
  type Flash,
  type Permission,
} from '../web/proposal-pages.js';

/**
 * `/proposals`: the proposals by status, and each proposal's page with its diff, evidence and
 * history. People signed in as users (HTTP Basic, SERVER_USERS) who are approvers of the account
 * (`web:<name>` in its approvers) get approve / reject / edit forms; tokens read only.
 *
 * Forms are CSRF-protected: a browser sends Basic credentials with any cross-site form post, so
 * each form carries a token bound to a secret cookie AND to the signed-in name (HMAC keyed by the
 * server's credentials, so every server of a deployment accepts every other's tokens). Pages are
 * served with helmet's headers: no framing (clickjacking an Approve button), a strict CSP.
 */

const CSRF_COOKIE = 'agent-trainer-csrf';
const DoneSchema = z.enum(['approved', 'rejected', 'edited', 'unchanged']);
type Done = z.infer<typeof DoneSchema>;
const DONE_TEXT: Record<Done, string> = {
  approved: 'Approved; the change is being applied.',
  rejected: 'Rejected.',
  edited: 'Saved the edit.',
  unchanged: 'Nothing to save: the text and fills were unchanged.',
};

const ListQuery = z.object({ status: z.enum(['all', ...PROPOSAL_STATUSES]).default('pending') });
const DetailQuery = z.object({ done: DoneSchema.optional() });
const IdParams = z.object({ id: z.string().min(1).max(200) });
const FormBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

function userName(request: FastifyRequest): string | undefined {
  return request.principal?.kind === 'user' ? request.principal.name : undefined;
}

function who(request: FastifyRequest): string {
  const name = userName(request);
  return name !== undefined ? `signed in as ${name}` : 'signed in with a token (read-only)';
}

/** A form field as one string ('' when absent; the first value when repeated). */
function field(body: z.infer<typeof FormBody>, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The non-blank fills of the proposal's placeholders from `fill_<i>` fields. */
function fillsFrom(proposal: Proposal, body: z.infer<typeof FormBody>): Record<string, string> {
  const fills: Record<string, string> = {};
  placeholdersInPatch(proposal.patch).forEach((description, i) => {
    const value = field(body, fillField(i)).trim();
    if (value !== '') fills[description] = value;
  });
  return fills;
}

/** HTTP status of a refused decision; other errors are the server's. */
function refusalStatus(error: unknown): number | null {
  if (error instanceof ProposalNotFoundError) return 404;
  if (error instanceof ProposalStateError) return 409;
  if (error instanceof ApprovalRefusedError) return error.reason === 'not-approver' ? 403 : 422;
  return null;
}

const proposalsWeb: FastifyPluginAsync<{ decisions: DecisionContext; auth: ServerAuth }> = async (
  server,
  { decisions, auth },
) => {
  const { proposals } = decisions.stores;
  await server.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
  });
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

  /** Whether the request may decide on `proposal`, and the token its forms need. */
  async function permission(
    request: FastifyRequest,
    reply: FastifyReply,
    proposal: Proposal,
  ): Promise<Permission> {
    const name = userName(request);
    if (name === undefined) {
      return {
        kind: 'read-only',
        reason: 'Tokens can read proposals; sign in as a user to decide.',
      };
    }
    const account = await decisions.accountFor(proposal.id);
    const actor = `web:${name}`;
    if (!isApprover(actor, account.approvers)) {
      return {
        kind: 'read-only',
        reason: `${actor} is not an approver of account ${proposal.accountId}; add it to the account's approvers to decide here.`,
      };
    }
    return { kind: 'decide', csrfToken: reply.generateCsrf({ userInfo: name }) };
  }

  async function showProposal(
    request: FastifyRequest,
    reply: FastifyReply,
    proposal: Proposal,
    flash?: Flash,
  ): Promise<string> {
    const allowed = await permission(request, reply, proposal);
    reply.type('text/html; charset=utf-8');
    return detailPage({
      who: who(request),
      proposal,
      permission: allowed,
      ...(flash ? { flash } : {}),
    });
  }

  server.get('/proposals', async (request, reply) => {
    const query = ListQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: 'unknown status' });
    const { status } = query.data;
    const [counts, list] = await Promise.all([
      proposals.countByStatus(),
      proposals.list(status === 'all' ? { limit: 200 } : { status, limit: 200 }),
    ]);
    return reply
      .type('text/html; charset=utf-8')
      .send(listPage({ who: who(request), status, counts, proposals: list }));
  });

  server.get('/proposals/:id', async (request, reply) => {
    const { id } = IdParams.parse(request.params);
    const proposal = await proposals.get(id);
    if (proposal === null) return reply.code(404).send({ error: `no proposal ${id}` });
    const done = DetailQuery.safeParse(request.query).data?.done;
    const flash: Flash | undefined =
      done === undefined ? undefined : { kind: 'ok', text: DONE_TEXT[done] };
    return showProposal(request, reply, proposal, flash);
  });

  /** A form post: CSRF first (once the body is parsed), then the decision; refusals re-render the page with the reason. */
  function decision(
    verb: 'approve' | 'reject' | 'edit',
    decide: (proposal: Proposal, actor: string, body: z.infer<typeof FormBody>) => Promise<Done>,
  ): void {
    server.post(
      `/proposals/:id/${verb}`,
      { preHandler: server.csrfProtection },
      async (request, reply) => {
        const { id } = IdParams.parse(request.params);
        const body = FormBody.safeParse(request.body ?? {});
        const proposal = await proposals.get(id);
        if (proposal === null) return reply.code(404).send({ error: `no proposal ${id}` });
        const name = userName(request);
        if (name === undefined || !body.success) {
          return reply.code(403).send({ error: 'sign in as a user to decide' });
        }
        try {
          const done = await decide(proposal, `web:${name}`, body.data);
          return reply.redirect(`/proposals/${encodeURIComponent(id)}?done=${done}`, 303);
        } catch (error) {
          const status = refusalStatus(error);
          if (status === null) throw error;
          const current = (await proposals.get(id)) ?? proposal;
          reply.code(status);
          return showProposal(request, reply, current, {
            kind: 'error',
            text: (error as Error).message,
          });
        }
      },
    );
  }

  decision('approve', async (proposal, actor, body) => {
    const accountConfig = await decisions.accountFor(proposal.id);
    const fills = fillsFrom(proposal, body);
    const approved = await approveProposal(decisions.stores, {
      proposalId: proposal.id,
      actor,
      accountConfig,
      ...(Object.keys(fills).length === 0 ? {} : { fills }),
    });
    await decisions.enqueueApply(approved);
    await decisions.notify(approved);
    return 'approved';
  });

  decision('reject', async (proposal, actor, body) => {
    const accountConfig = await decisions.accountFor(proposal.id);
    const reason = field(body, 'reason').trim().slice(0, 500);
    const rejected = await rejectProposal(decisions.stores, {
      proposalId: proposal.id,
      actor,
      accountConfig,
      ...(reason === '' ? {} : { reason }),
    });
    await decisions.notify(rejected);
    return 'rejected';
  });

  decision('edit', async (proposal, actor, body) => {
    // Editing is open to approvers only here, as deciding is: the page offers it to them alone.
    const accountConfig = await decisions.accountFor(proposal.id);
    if (!isApprover(actor, accountConfig.approvers)) {
      throw new ApprovalRefusedError(
        `${actor} is not an approver of account ${proposal.accountId}.`,
        'not-approver',
      );
    }
    const text =
      body['text'] === undefined ? undefined : field(body, 'text').replace(/\r\n/g, '\n');
    const edited = await saveEdit(decisions.stores, {
      proposalId: proposal.id,
      actor,
      policyContext: await decisions.policyContextFor(proposal),
      note: 'edited on the web',
      patch: editedPatch(proposal, text),
      fills: fillsFrom(proposal, body),
    });
    if (edited === null) return 'unchanged';
    await decisions.notify(edited);
    return 'edited';
  });
};

export default proposalsWeb;
