import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { AppError, RequestValidationError } from '../errors.js';
import { KlaviyoApiError, KlaviyoNetworkError, type KlaviyoClient } from '../klaviyo/index.js';
import { silentLogger, type Logger } from '../logger.js';
import type { WriteIntent, WriteIntentStore } from '../store/apply-lock.js';
import { ProposalNotFoundError, ProposalStateError } from '../store/proposal-errors.js';
import type { ProposalStore } from '../store/proposals.js';
import type { GuidanceItem, Patch } from './patch.js';
import { placeholdersInPatch } from './placeholders.js';
import type { Proposal } from './proposal.js';
import { baselineFieldsFor, proposedFields, touchedFields } from './render-diff.js';

/**
 * Apply: the one place a proposal's patch is written to Klaviyo, on top of the write-intent
 * protocol of src/store/apply-lock.ts (read its header). At most one write per proposal, even
 * when a worker is killed at any point or two apply jobs race; no result is lost, because a retry
 * re-reads the target and finishes from what it finds. Every outcome is one compare-and-set
 * transition of the proposal, which writes the audit entry (before, after, who approved).
 */

export type ApplyOutcome = 'applied' | 'conflict' | 'failed' | 'already-applied';

/** The Klaviyo resources apply reads and writes (the write key's client). */
export type ApplyClient = Pick<KlaviyoClient, 'skills' | 'knowledge' | 'agent'>;

/** Points where tests simulate a worker being killed. */
export interface ApplyHooks {
  /** Right after the write returned, before it is recorded anywhere. */
  afterWrite?: () => void | Promise<void>;
  /** After the intent is marked landed, before the proposal moves to `applied`. */
  afterLanded?: () => void | Promise<void>;
}

export interface ApplyInput {
  proposalId: string;
  client: ApplyClient;
  stores: {
    proposals: Pick<ProposalStore, 'get' | 'transition'>;
    writeIntents: Pick<WriteIntentStore, 'claim' | 'takeOver' | 'markLanded' | 'release'>;
  };
  /** Recorded on the apply's transitions. @defaultValue 'system' */
  actor?: string;
  /**
   * Who holds the write intent: the apply job's id, the same across its retries, so a retry can
   * take over its own stale claim. @defaultValue a random id (each call is another owner)
   */
  owner?: string;
  /** How long a claim stays live for other owners. @defaultValue 120 000 */
  leaseMs?: number;
  logger?: Logger;
  now?: () => Date;
  hooks?: ApplyHooks;
}

interface Run {
  input: ApplyInput;
  proposal: Proposal;
  actor: string;
  log: Logger;
  now: () => Date;
}

function busy(proposal: Proposal, intent: WriteIntent): AppError {
  return new AppError(
    `Proposal ${proposal.id} is being applied by ${intent.owner} (claim live until ${intent.leaseUntil}); try again after that.`,
    { code: 'proposal_busy', retryable: true },
  );
}

/**
 * Applies an approved proposal. Returns the outcome; `already-applied` when an earlier call
 * finished it. Throws ProposalStateError for a proposal that was never approved, and rethrows
 * retryable errors (network, 5xx, 429, a live claim of another worker) for the job to retry.
 */
export async function applyProposal(input: ApplyInput): Promise<ApplyOutcome> {
  const log = (input.logger ?? silentLogger).child({ proposalId: input.proposalId });
  const proposal = await input.stores.proposals.get(input.proposalId);
  if (proposal === null) throw new ProposalNotFoundError(input.proposalId);
  const run: Run = {
    input,
    proposal,
    actor: input.actor ?? 'system',
    log,
    now: input.now ?? (() => new Date()),
  };
  const settled = await settledOutcome(run, proposal);
  if (settled !== null) return settled;
  if (proposal.status === 'approved') {
    const started = await startApplying(run);
    if (started !== null) return started;
  }
  const outcome = await applyClaimed(run);
  log.info({ outcome, kind: proposal.patch.kind }, 'apply finished');
  return outcome;
}

/** The outcome of a proposal that apply already finished; null when there is work to do. */
async function settledOutcome(run: Run, proposal: Proposal): Promise<ApplyOutcome | null> {
  switch (proposal.status) {
    case 'approved':
    case 'applying':
      return null;
    case 'applied':
    case 'reverted':
      await markOriginalReverted(run, proposal);
      return 'already-applied';
    case 'conflict':
    case 'failed':
      return proposal.status;
    default:
      throw ProposalStateError.refused(proposal, 'applying', 'illegal');
  }
}

/** `approved → applying`; when another worker moved it first, continue from its status. */
async function startApplying(run: Run): Promise<ApplyOutcome | null> {
  try {
    run.proposal = await run.input.stores.proposals.transition(run.proposal.id, {
      from: 'approved',
      to: 'applying',
      actor: run.actor,
    });
    return null;
  } catch (error) {
    if (!(error instanceof ProposalStateError)) throw error;
    const current = await run.input.stores.proposals.get(run.proposal.id);
    if (current === null) throw new ProposalNotFoundError(run.proposal.id);
    run.proposal = current;
    return settledOutcome(run, current);
  }
}

async function applyClaimed(run: Run): Promise<ApplyOutcome> {
  const { proposal, input } = run;
  const open = placeholdersInPatch(proposal.patch);
  if (open.length > 0) {
    return finishFailed(
      run,
      `The patch still has placeholders (${open.join(', ')}); nothing was written.`,
    );
  }
  const options = {
    owner: input.owner ?? `apply-${randomUUID()}`,
    ...(input.leaseMs === undefined ? {} : { leaseMs: input.leaseMs }),
  };
  const claim = await input.stores.writeIntents.claim(proposal.id, options);
  switch (claim.outcome) {
    case 'in-flight':
      throw busy(proposal, claim.intent);
    case 'landed':
      return finishApplied(run, claim.intent.resourceId);
    case 'claimed': {
      const state = await readOrFail(run, claim.intent);
      if (typeof state === 'string') return state;
      return decideFresh(run, claim.intent, state);
    }
    case 'unknown': {
      // An earlier attempt claimed and stopped: its write may have landed. Keep its intent
      // until the target says which (a failed read leaves it for the next retry).
      const state = await readOrFail(run, null);
      if (typeof state === 'string') return state;
      const found = classifyTarget(proposal, state);
      if (found === 'proposed') {
        await input.stores.writeIntents.markLanded(claim.intent, resourceIdOf(state));
        return finishApplied(run, state.resourceId ?? undefined);
      }
      if (found === 'changed') {
        await input.stores.writeIntents.release(claim.intent);
        return finishConflict(run, state);
      }
      const ours = await input.stores.writeIntents.takeOver(claim.intent, options);
      if (ours === null) throw busy(proposal, claim.intent);
      return write(run, ours, state);
    }
  }
}

function resourceIdOf(state: TargetState): { resourceId?: string } {
  return state.resourceId === null ? {} : { resourceId: state.resourceId };
}

/** A fresh claim: nothing of ours was written. Write unless the target moved (or has the item). */
async function decideFresh(
  run: Run,
  intent: WriteIntent,
  state: TargetState,
): Promise<ApplyOutcome> {
  const found = classifyTarget(run.proposal, state);
  if (found === 'baseline') return write(run, intent, state);
  if (found === 'proposed' && state.isCreate) {
    // An identical item exists (a person added it, or an earlier run whose intent expired):
    // adopt it instead of creating a duplicate.
    await run.input.stores.writeIntents.markLanded(intent, resourceIdOf(state));
    run.log.info({ resourceId: state.resourceId }, 'adopted an identical existing item');
    return finishApplied(run, state.resourceId ?? undefined, 'adopted an identical existing item');
  }
  await run.input.stores.writeIntents.release(intent);
  const why =
    found === 'proposed' ? 'already has the proposed values, set by someone else' : undefined;
  return finishConflict(run, state, why);
}

/** Reads the target; a refused read (404: deleted) fails the proposal. */
async function readOrFail(
  run: Run,
  intent: WriteIntent | null,
): Promise<TargetState | ApplyOutcome> {
  try {
    return await readTarget(run.input.client, run.proposal);
  } catch (error) {
    const refused = error instanceof KlaviyoApiError && !error.retryable;
    if (intent !== null) await run.input.stores.writeIntents.release(intent);
    if (refused) return finishFailed(run, error.message);
    throw error;
  }
}

/** Whether a failed write certainly changed nothing at Klaviyo. */
function certainlyNotWritten(error: unknown): boolean {
  if (error instanceof KlaviyoApiError) return !error.retryable || error.status === 429;
  if (error instanceof KlaviyoNetworkError) return error.neverSent;
  return error instanceof RequestValidationError;
}

async function write(run: Run, intent: WriteIntent, state: TargetState): Promise<ApplyOutcome> {
  const { writeIntents } = run.input.stores;
  let resourceId: string;
  try {
    resourceId = await writeTarget(run.input.client, run.proposal.patch, state);
  } catch (error) {
    // An unknown outcome (timeout, reset, 5xx) keeps the intent: the retry re-reads first.
    if (!certainlyNotWritten(error)) throw error;
    await writeIntents.release(intent);
    const refused =
      (error instanceof KlaviyoApiError && !error.retryable) ||
      error instanceof RequestValidationError;
    if (refused) return finishFailed(run, (error as Error).message);
    throw error;
  }
  await run.input.hooks?.afterWrite?.();
  if (!(await writeIntents.markLanded(intent, { resourceId }))) {
    run.log.warn({ owner: intent.owner }, 'write landed but the claim was taken over meanwhile');
  }
  await run.input.hooks?.afterLanded?.();
  return finishApplied(run, resourceId);
}

const isCreatePatch = (patch: Patch): boolean =>
  patch.kind === 'skill.create' || patch.kind === 'knowledge.create';

function approvalNote(proposal: Proposal): string {
  const approval = [...proposal.history].reverse().find((e) => e.status === 'approved');
  return approval === undefined
    ? 'no approval in the history'
    : `approved by ${approval.actor} at ${approval.at}`;
}

/** Moves `applying` to a final status; a proposal finished meanwhile by another worker is fine. */
async function finish(
  run: Run,
  to: 'applied' | 'conflict' | 'failed',
  extra: Pick<Parameters<ProposalStore['transition']>[1], 'result' | 'audit' | 'note'>,
): Promise<ApplyOutcome> {
  try {
    run.proposal = await run.input.stores.proposals.transition(run.proposal.id, {
      from: 'applying',
      to,
      actor: run.actor,
      ...extra,
    });
    return to;
  } catch (error) {
    if (!(error instanceof ProposalStateError)) throw error;
    const current = await run.input.stores.proposals.get(run.proposal.id);
    if (current === null || current.status === 'applying') throw error;
    return (await settledOutcome(run, current)) ?? to;
  }
}

async function finishApplied(
  run: Run,
  resourceId: string | undefined,
  how?: string,
): Promise<ApplyOutcome> {
  const { proposal } = run;
  const isCreate = isCreatePatch(proposal.patch);
  const detail = [approvalNote(proposal), how, resourceId && `resource ${resourceId}`]
    .filter(Boolean)
    .join('; ');
  const outcome = await finish(run, 'applied', {
    result: {
      appliedAt: run.now().toISOString(),
      ...(resourceId === undefined ? {} : { resourceId }),
    },
    audit: {
      before: isCreate ? null : proposal.baseline.fields,
      after: proposedFields(proposal.patch, proposal.baseline.fields),
      detail,
    },
  });
  if (outcome === 'applied') await markOriginalReverted(run, run.proposal);
  return outcome;
}

async function finishConflict(run: Run, state: TargetState, why?: string): Promise<ApplyOutcome> {
  const { baseline, patch } = run.proposal;
  const drafted = comparable(baseline.fields);
  const changed = touchedFields(patch).filter(
    (f) => !isDeepStrictEqual(state.fields[f], drafted[f] ?? null),
  );
  const what = `${baseline.target.type} ${baseline.target.id ?? ''}`.trim();
  const message =
    state.conflict ??
    `${what} ${why ?? `changed since the proposal was drafted (${changed.join(', ')})`}; nothing was written. Draft a new proposal against the current config.`;
  return finish(run, 'conflict', {
    result: { error: message },
    audit: { before: baseline.fields, after: state.fields, detail: message },
  });
}

async function finishFailed(run: Run, message: string): Promise<ApplyOutcome> {
  return finish(run, 'failed', { result: { error: message }, audit: { detail: message } });
}

/** A revert proposal that is applied marks the proposal it reverts `reverted`. */
async function markOriginalReverted(run: Run, proposal: Proposal): Promise<void> {
  if (proposal.revertOf === null || proposal.status !== 'applied') return;
  try {
    await run.input.stores.proposals.transition(proposal.revertOf, {
      from: 'applied',
      to: 'reverted',
      actor: run.actor,
      note: `reverted by proposal ${proposal.id}`,
    });
  } catch (error) {
    if (!(error instanceof ProposalStateError)) throw error;
    if (error.details.current !== 'reverted') {
      run.log.warn(
        { revertOf: proposal.revertOf, err: error.message },
        'could not mark the reverted proposal',
      );
    }
  }
}

// ── The target: read it, compare it with the baseline, write the patch ──────────────────────

/** What apply found at the patch's target. */
export interface TargetState {
  /** The touched fields now, in comparable form; `{}` for creates. */
  fields: Record<string, unknown>;
  isCreate: boolean;
  /** Updates: the target's id. Creates: the id of an identical existing item, or null. */
  resourceId: string | null;
  /** Creates: why an existing item blocks the create (same name, other content). */
  conflict?: string;
}

const guidance = (value: unknown): GuidanceItem[] =>
  (Array.isArray(value) ? (value as GuidanceItem[]) : []).map(({ title, description, status }) => ({
    title,
    description,
    status,
  }));

/** Fields as compared and written: rules and styles reduced to what a patch sets. */
function comparable(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'escalation_rules' || field === 'communication_styles')
      out[field] = guidance(value);
    else if (field === 'tone_of_voice' && typeof value === 'object' && value !== null) {
      const tone = value as Record<string, unknown>;
      out[field] = {
        preset: tone['preset'] ?? null,
        custom_instruction: tone['custom_instruction'] ?? null,
      };
    } else out[field] = value;
  }
  return out;
}

/** Where the target stands: as drafted against, as the patch makes it, or changed otherwise. */
export function classifyTarget(
  proposal: Pick<Proposal, 'patch' | 'baseline'>,
  state: TargetState,
): 'baseline' | 'proposed' | 'changed' {
  if (state.isCreate) {
    if (state.conflict !== undefined) return 'changed';
    return state.resourceId === null ? 'baseline' : 'proposed';
  }
  const { patch, baseline } = proposal;
  const drafted = Object.fromEntries(
    touchedFields(patch).map((f) => [f, baseline.fields[f] ?? null]),
  );
  if (isDeepStrictEqual(state.fields, comparable(drafted))) return 'baseline';
  const proposed = comparable(proposedFields(patch, baseline.fields));
  return isDeepStrictEqual(state.fields, proposed) ? 'proposed' : 'changed';
}

const normal = (text: string | null | undefined): string =>
  (text ?? '').replace(/\s+/g, ' ').trim();

async function snippetSource(client: ApplyClient, id: string) {
  return (await client.knowledge.get(id)).attributes.source;
}

/** A snippet with the same title and content, if one exists. */
async function findSnippet(
  client: ApplyClient,
  snippet: { title: string; content: string },
): Promise<TargetState> {
  const none: TargetState = { fields: {}, isCreate: true, resourceId: null };
  for (const item of await client.knowledge.list().toArray()) {
    const { source } = item.attributes;
    if (source.source_type !== 'snippet') continue;
    if (normal(source.title).toLowerCase() !== normal(snippet.title).toLowerCase()) continue;
    // Listings may leave the content out; read the item for it.
    const full = typeof source.content === 'string' ? source : await snippetSource(client, item.id);
    const text = full.source_type === 'snippet' ? full.content : null;
    if (normal(text) === normal(snippet.content)) return { ...none, resourceId: item.id };
  }
  return none;
}

/** A skill of the same display name: identical → adopt it; different → the create conflicts. */
async function findSkill(
  client: ApplyClient,
  skill: { display_name: string; description: string; instructions: string },
): Promise<TargetState> {
  const name = normal(skill.display_name).toLowerCase();
  const same = (await client.skills.list().toArray()).find(
    (s) => normal(s.attributes.display_name).toLowerCase() === name,
  );
  if (same === undefined) return { fields: {}, isCreate: true, resourceId: null };
  const a = same.attributes;
  if (
    normal(a.description) === normal(skill.description) &&
    normal(a.instructions) === normal(skill.instructions)
  ) {
    return { fields: {}, isCreate: true, resourceId: same.id };
  }
  return {
    fields: {
      display_name: a.display_name,
      description: a.description,
      instructions: a.instructions,
    },
    isCreate: true,
    resourceId: null,
    conflict: `A skill named "${a.display_name}" (${same.id}) already exists with other content; nothing was created. Edit that skill, or draft the new one under another name.`,
  };
}

/** Reads the target fresh (a GET, or a listing for creates). */
export async function readTarget(
  client: ApplyClient,
  proposal: Pick<Proposal, 'patch'>,
): Promise<TargetState> {
  const { patch } = proposal;
  const update = (attributes: Record<string, unknown>, id: string): TargetState => ({
    fields: comparable(baselineFieldsFor(patch, attributes)),
    isCreate: false,
    resourceId: id,
  });
  switch (patch.kind) {
    case 'skill.update': {
      const skill = await client.skills.get(patch.skillId);
      return update(skill.attributes, skill.id);
    }
    case 'knowledge.update': {
      const item = await client.knowledge.get(patch.knowledgeId);
      return update(item.attributes, item.id);
    }
    case 'knowledge.create':
      return findSnippet(client, patch.snippet);
    case 'skill.create':
      return findSkill(client, patch.skill);
    default: {
      const agent = await client.agent.get();
      return update(agent.attributes, agent.id);
    }
  }
}

/**
 * Writes the patch; returns the id of the written resource. Skill and snippet updates are sparse
 * PATCHes of the changed fields; a rule or style change writes the whole list, built from the
 * CURRENT list (`state`, just compared equal to the baseline) because the API replaces it whole.
 */
export async function writeTarget(
  client: ApplyClient,
  patch: Patch,
  state: TargetState,
): Promise<string> {
  switch (patch.kind) {
    case 'skill.update':
      return (await client.skills.update(patch.skillId, patch.changes)).id;
    case 'knowledge.update':
      return (await client.knowledge.update(patch.knowledgeId, patch.changes)).id;
    case 'skill.create':
      return (await client.skills.create({ ...patch.skill })).id;
    case 'knowledge.create':
      return (await client.knowledge.create({ source_type: 'snippet', ...patch.snippet })).id;
    case 'agent.tone.update':
      return (await client.agent.update({ tone_of_voice: { ...patch.tone } })).id;
    default: {
      const next = proposedFields(patch, state.fields);
      const attributes = Object.fromEntries(Object.entries(next).map(([k, v]) => [k, guidance(v)]));
      return (await client.agent.update(attributes)).id;
    }
  }
}
