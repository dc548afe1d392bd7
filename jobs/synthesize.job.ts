import { decideDeps, type Deps } from '../src/deps.js';
import type { Logger } from '../src/logger.js';
import { createDecisions, type Decisions } from '../src/loop/approve/decide.js';
import { expireStale, type AutoApprovePolicy } from '../src/loop/approve/transitions.js';
import { listSuspicious } from '../src/loop/diagnose/suspicious.js';
import { synthesize } from '../src/loop/synthesize/synthesize.js';
import { createReproducer } from '../src/loop/verify/reproduce.js';
import { describeReproduction } from '../src/domain/replay.js';
import { defineJob, synthesizeContract } from '../src/queue/index.js';
import { notifyProposal } from './notify-proposal.job.js';
import { DAY_MS } from '../src/time.js';

/** Pending proposals older than this expire: their baseline is likely stale by then. */
const EXPIRE_AFTER_DAYS = 14;

/**
 * Turns a window's diagnoses into ranked findings and pending proposals (policy-checked, with a
 * diff and a baseline). Proposals wait for a person, unless the account's explicit auto-approve
 * policy covers their kind; then they are approved by that policy and applied.
 */
export const synthesizeJob = defineJob({
  ...synthesizeContract,
  async handle({ accountId, runId, days = 7 }, { deps, enqueue, log, job, signal }) {
    const account = deps.account(accountId);
    const expired = await expireStale(deps.stores, {
      olderThanDays: EXPIRE_AFTER_DAYS,
      accountId,
      now: deps.now,
    });
    // Decided proposals past their retention go (all accounts; a bounded batch per run).
    const retired = await deps.stores.proposals.retireDecided();
    const to = deps.now();
    const from = new Date(to.getTime() - days * DAY_MS);
    const run = runId ?? job.id;
    // New drafts are replayed against the live configuration first, judged as verify judges.
    const reproduce = createReproducer({
      accountId,
      runId: run,
      client: deps.klaviyo(accountId, 'write'),
      stores: deps.stores,
      judge: deps.llm ? { llm: deps.llm } : 'rules',
      maxReplays: deps.config.reproduce.maxReplays,
      now: deps.now,
      logger: log,
      signal,
    });
    const result = await synthesize({
      accountId,
      runId: run,
      client: deps.klaviyo(accountId, 'read'),
      stores: deps.stores,
      window: { from: from.toISOString(), to: to.toISOString() },
      policy: { allowedKinds: account.allowedKinds },
      llm: deps.llm ? { client: deps.llm } : undefined,
      reproduce,
      rejections: deps.config.rejections,
      logger: log,
      now: deps.now,
      signal,
    });

    // Approved as a person's approval is: through the decide service, which queues the apply
    // and the Slack post.
    const autoApproved = account.autoApprove.enabled
      ? await autoApproveCreated(
          createDecisions(decideDeps(deps, enqueue, log)),
          result,
          account.autoApprove,
          log,
        )
      : [];
    for (const id of result.created) {
      if (!autoApproved.includes(id)) await notifyProposal(deps, enqueue, id);
    }
    const summary = {
      ...summarize(result),
      autoApproved,
      expired,
      suspiciousAnnounced: await announceSuspicious(deps, accountId, days),
      retired: retired.length,
    };
    await announceHeld(deps, accountId, result.held);
    log.info(summary, 'synthesized');
    return summary;
  },
});

type Synthesized = Awaited<ReturnType<typeof synthesize>>;

/**
 * Tells the account's Slack channel about the window's conversations that tried to instruct the
 * loop, each conversation once (they never feed a finding, so no proposal would show them).
 * Returns how many were announced; none without Slack or a channel.
 */
async function announceSuspicious(deps: Deps, accountId: string, days: number): Promise<number> {
  const channel = deps.account(accountId).slackChannel;
  if (!deps.slack || !channel) return 0;
  const found = await listSuspicious(deps.stores.diagnoses, [accountId], { days, now: deps.now() });
  const noticeId = (conversationId: string) => `suspicious:${conversationId}`;
  const fresh = await deps.stores.slackMessages.unannounced(
    accountId,
    found.map((c) => noticeId(c.conversationId)),
  );
  if (fresh.length === 0) return 0;
  await deps.slack.postSuspicious(
    channel,
    accountId,
    found.filter((c) => fresh.includes(noticeId(c.conversationId))),
  );
  await deps.stores.slackMessages.markAnnounced(accountId, fresh);
  return fresh.length;
}

/**
 * Says in the thread of each proposal that a draft waits behind it (once per draft), so the
 * approvers know that deciding it lets the next change on the same field through.
 */
export async function announceHeld(
  deps: Deps,
  accountId: string,
  held: Synthesized['held'],
): Promise<void> {
  if (!deps.slack || held.length === 0) return;
  const noticeId = (h: Synthesized['held'][number]) => `held:${h.behind}:${h.findingId}`;
  const fresh = await deps.stores.slackMessages.unannounced(accountId, held.map(noticeId));
  for (const h of held.filter((x) => fresh.includes(noticeId(x)))) {
    const message = await deps.stores.slackMessages.get(h.behind);
    if (!message) continue;
    await deps.slack.reply(
      message.channel,
      message.ts,
      `A draft waits behind this proposal: "${h.title}" changes the same field. It is drafted again once this one is decided.`,
    );
    await deps.stores.slackMessages.markAnnounced(accountId, [noticeId(h)]);
  }
}

/** The new proposals the account's auto-approve policy approved (the rest wait for a person). */
async function autoApproveCreated(
  decisions: Decisions,
  result: Synthesized,
  policy: AutoApprovePolicy,
  log: Logger,
): Promise<string[]> {
  const approved: string[] = [];
  for (const proposal of result.proposals.filter((p) => result.created.includes(p.id))) {
    const decision = await decisions.autoApprove(proposal, policy);
    if (decision.approved) {
      approved.push(proposal.id);
    } else {
      log.info({ proposalId: proposal.id, reason: decision.reason }, 'left for a person');
    }
  }
  return approved;
}

function summarize(result: Synthesized) {
  return {
    findings: result.findings.length,
    proposals: result.proposals.map((p) => p.id),
    created: result.created,
    blocked: result.blocked.length,
    skipped: result.skipped.length,
    held: result.held.map(({ behind, title }) => ({ behind, title })),
    /** What each new proposal's reproduction found ("reproduces in k of n", or why unchecked). */
    reproduced: result.proposals.flatMap(({ id, reproduction }) =>
      result.created.includes(id) && reproduction !== undefined
        ? [{ proposalId: id, reproduced: reproduction.reproduced, total: reproduction.total }]
        : [],
    ),
    /** Findings not proposed: no replay against the live configuration failed. */
    unreproduced: result.unreproduced.map(({ findingId, reproduction }) => ({
      findingId,
      topic: result.findings.find((f) => f.id === findingId)?.topic ?? '',
      reason: describeReproduction(reproduction),
    })),
    /** Findings a recent rejection keeps quiet, and until when. */
    rejected: result.rejected.map(({ findingId, reason }) => ({
      findingId,
      topic: result.findings.find((f) => f.id === findingId)?.topic ?? '',
      reason,
    })),
    /** Why a Claude draft gave way to the rules draft (blocked by the policy, API error). */
    fallbacks: result.fallbacks,
  };
}
