import { AppError } from '../../errors.js';
import type { AuditLog } from '../../store/audit.js';
import type { ProposalStore } from '../../store/proposals.js';
import {
  readAgentConfig,
  type AgentConfigReader,
  type AgentConfigView,
} from '../../patches/agent-config.js';
import { guidanceChangeOf, kindOf } from '../../patches/kinds/index.js';
import { PatchSchema, type Patch } from '../../patches/patch.js';
import { admitPatch, type ProposalPolicy } from '../policy/admit.js';
import { ALL_PATCH_KINDS, toPolicyCurrent } from '../policy/policy.js';
import type { Proposal } from '../../domain/proposal.js';

/**
 * `revert` drafts the inverse of an applied proposal as a NEW pending proposal (`revertOf` set):
 * it restores the values the audit log recorded before the apply, goes through the policy (with
 * `revert.restores`, which lets exactly that restore pass) and needs an approval like any other.
 * The original becomes `reverted` only when the revert itself is applied (see apply.ts).
 *
 * Creates are not undone: that takes a delete, and agent-trainer never deletes. Adding a rule or
 * style is undone by DISABLING the added item, because no patch kind removes one yet.
 */

/** A revert that cannot be drafted; the message says why and what a person can do. */
export class RevertRefusedError extends AppError {
  constructor(message: string) {
    super(message, { code: 'revert_refused', retryable: false });
  }
}

export interface DraftRevertInput {
  /** The applied proposal to revert. */
  proposal: Proposal;
  /** `get` reads the other half of a pair, whose revert is drafted with this one. */
  stores: { proposals: Pick<ProposalStore, 'create' | 'get'>; audit: Pick<AuditLog, 'list'> };
  /** Reads the current config fresh (a read key is enough). */
  client: AgentConfigReader;
  /** The account's policy. @defaultValue every kind allowed */
  policy?: ProposalPolicy;
  /** Who asked for the revert; recorded in the history. @defaultValue 'system' */
  actor?: string;
  /** Why (e.g. the impact check's regression); added to the rationale. */
  reason?: string;
  now?: () => Date;
}

type Before = Record<string, unknown>;

/** The touched fields as audited just before `proposal` was applied. */
async function auditedBefore(proposal: Proposal, audit: Pick<AuditLog, 'list'>): Promise<Before> {
  const entries = await audit.list({ proposalId: proposal.id });
  const applied = entries.reverse().find((e) => e.type === 'applied');
  const before = applied?.before;
  if (typeof before !== 'object' || before === null || Array.isArray(before)) {
    throw new RevertRefusedError(
      `Proposal ${proposal.id} has no audited before-state, so there is nothing to restore; change the config in Klaviyo by hand.`,
    );
  }
  return before as Before;
}

/** Creates cannot be reverted: undoing one takes a delete. */
function createRefusal(original: Proposal): RevertRefusedError {
  const what = kindOf(original.patch).noun;
  const id = original.result.resourceId ?? 'its id';
  return new RevertRefusedError(
    `Proposal ${original.id} created a ${what} (${id}); undoing it takes a delete, and agent-trainer never deletes. A person can remove it in Klaviyo (Customer Agent settings).`,
  );
}

/** The patch that puts back `before` (the audited values), given the config now. */
export function inversePatch(original: Proposal, before: Before, view: AgentConfigView): Patch {
  const patch = original.patch;
  const { invert } = kindOf(patch);
  if (invert === null) throw createRefusal(original);
  const inverse = invert(patch, before, toPolicyCurrent(view));
  if (!inverse.ok) throw new RevertRefusedError(inverse.reason);
  const parsed = PatchSchema.safeParse(inverse.patch);
  if (!parsed.success) {
    throw new RevertRefusedError(
      `The audited before-state of proposal ${original.id} cannot be written back by a patch (${parsed.error.issues[0]?.message ?? 'invalid'}); restore it in Klaviyo by hand.`,
    );
  }
  return parsed.data;
}

/**
 * Drafts and stores the revert of an applied proposal; returns the stored pending proposal (the
 * existing one when the same revert was drafted before). The revert of a pair's applied other
 * half is drafted and stored with it, the two paired in turn. Throws RevertRefusedError for creates,
 * for proposals not applied, and when the policy refuses the inverse.
 */
export async function draftRevert(input: DraftRevertInput): Promise<Proposal> {
  const original = input.proposal;
  if (original.status !== 'applied') {
    throw new RevertRefusedError(
      `Proposal ${original.id} is ${original.status}; only an applied proposal can be reverted${original.status === 'reverted' ? ' (it already was)' : ' (nothing of it was written)'}.`,
    );
  }
  if (kindOf(original.patch).invert === null) {
    throw createRefusal(original);
  }
  const now = (input.now ?? (() => new Date()))();
  const view = await readAgentConfig(input.client, { now: () => now });
  const revert = await revertOf(original, input, view, now);
  const companion = await pairedRevert(original, input, view, now);
  if (companion === null) return (await input.stores.proposals.create(revert)).proposal;
  const lead: Proposal = { ...revert, pair: { proposalId: companion.id, role: 'lead' } };
  const stored = (await input.stores.proposals.create(lead)).proposal;
  if (stored.pair?.proposalId === companion.id) {
    const pair = { proposalId: stored.id, role: 'companion' } as const;
    await input.stores.proposals.create({ ...companion, pair });
  }
  return stored;
}

/**
 * The revert of the other half of a pair, when that half is applied too: undoing a pair undoes
 * both, decided together like the pair was. Null when there is none to draft; a half that cannot
 * be reverted leaves the revert of this one alone.
 */
async function pairedRevert(
  original: Proposal,
  input: DraftRevertInput,
  view: AgentConfigView,
  now: Date,
): Promise<Proposal | null> {
  if (original.pair === undefined) return null;
  const partner = await input.stores.proposals.get(original.pair.proposalId);
  if (partner === null || partner.status !== 'applied') return null;
  try {
    const revert = await revertOf(partner, input, view, now);
    // Drafted alone before: pairing it now would link one side only.
    return (await input.stores.proposals.get(revert.id)) === null ? revert : null;
  } catch (error) {
    if (error instanceof RevertRefusedError) return null;
    throw error;
  }
}

/** The pending revert of an applied proposal (not stored), or RevertRefusedError. */
async function revertOf(
  original: Proposal,
  input: DraftRevertInput,
  view: AgentConfigView,
  now: Date,
): Promise<Proposal> {
  const before = await auditedBefore(original, input.stores.audit);
  const patch = inversePatch(original, before, view);
  const touched = kindOf(original.patch).touchedFields(original.patch);
  const restores = Object.fromEntries(touched.map((f) => [f, before[f] ?? null]));
  const change = guidanceChangeOf(original.patch);
  const disables =
    change !== null && change.edited === undefined
      ? ' Patches cannot remove a rule or style yet, so this disables the one the change added.'
      : '';
  const why = input.reason === undefined ? '' : ` Reason: ${input.reason}`;
  const admitted = admitPatch({
    accountId: original.accountId,
    patch,
    view,
    policy: input.policy ?? { allowedKinds: ALL_PATCH_KINDS },
    transcripts: [],
    revert: { of: original.id, restores },
    prose: {
      title: `Revert: ${original.title}`,
      rationale: `Reverts proposal ${original.id}, applied at ${original.result.appliedAt ?? 'an unknown time'}: restores ${touched.join(', ')} as the audit log recorded them before that change.${disables}${why}`,
      expectedImpact: `The configuration as it was before proposal ${original.id}.`,
      finding: original.finding,
    },
    drafted: { actor: input.actor ?? 'system', note: `revert of ${original.id} drafted` },
    now,
  });
  if (!admitted.ok) {
    throw new RevertRefusedError(
      `The revert of proposal ${original.id} breaks the policy: ${admitted.violations.map((v) => v.message).join(' ')}`,
    );
  }
  return admitted.proposal;
}
