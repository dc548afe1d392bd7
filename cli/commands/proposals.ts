import { jobs } from '../../jobs/index.js';
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { startApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import {
  PROPOSAL_STATUSES,
  type Proposal,
  type ProposalStatus,
} from '../../src/domain/proposal.js';
import {
  acceptanceStats,
  decidedProposals,
  type AcceptanceRow,
} from '../../src/loop/approve/acceptance.js';
import { percent } from '../../src/domain/format.js';
import { draftRevert } from '../../src/loop/verify/revert.js';
import { formatProposal, formatProposalLine } from '../format-proposal.js';
import { describeAttribution } from '../../src/domain/attribution.js';
import { positiveInt } from '../options.js';
import { waitUntilSettled } from '../settle.js';

const APPLY_TIMEOUT_MS = 120_000;

interface CommonOptions {
  json: boolean;
  as?: string;
}

type ListOptions = CommonOptions & {
  status?: ProposalStatus;
  account?: string;
  limit: number;
  page: number;
};
type ApproveOptions = CommonOptions & {
  fill: Record<string, string>;
  now: boolean;
  applyAnyway: boolean;
  revision?: string;
};
type RejectOptions = CommonOptions & { reason?: string };

/**
 * `agent-trainer proposals list|show|approve|reject|revert|stats`: the approval core from a terminal.
 * Approving queues the apply for the workers; `--now` also runs it here and waits for the result.
 */
export function registerProposalsCommand(program: Command): void {
  const proposals = program.command('proposals').description('List, inspect and decide proposals');
  registerList(proposals);
  registerShow(proposals);
  registerApprove(proposals);
  registerReject(proposals);
  registerRevert(proposals);
  registerStats(proposals);
}

function registerList(proposals: Command): void {
  proposals
    .command('list')
    .description('List proposals, newest first')
    .option('--status <status>', `one of: ${PROPOSAL_STATUSES.join(', ')}`, parseStatus)
    .option('--account <id>', 'only this account')
    .option('--limit <n>', 'proposals per page', positiveInt, 50)
    .option('--page <n>', 'which page, newest first', positiveInt, 1)
    .option('--json', 'print JSON', false)
    .action((options: ListOptions) => withApp(false, (app) => listProposals(app, options)));
}

async function listProposals(app: App, options: ListOptions): Promise<void> {
  const { status, limit, page } = options;
  const { proposals: list, total } = await app.deps.stores.proposals.page({
    ...(status ? { status } : {}),
    ...(options.account ? { accountId: options.account } : {}),
    offset: (page - 1) * limit,
    limit,
  });
  const more = total > page * limit ? `\n(${total} in all; --page ${page + 1} for older)` : '';
  print(options.json, list, () =>
    list.length === 0 ? 'No proposals.' : `${list.map(formatProposalLine).join('\n')}${more}`,
  );
}

function registerStats(proposals: Command): void {
  proposals
    .command('stats')
    .description('How often proposals are accepted, by failure category and by drafter')
    .option('--account <id>', 'only this account')
    .option('--json', 'print JSON', false)
    .action((options: CommonOptions & { account?: string }) =>
      withApp(false, async (app) => {
        const rows = acceptanceStats(
          await decidedProposals(app.deps.stores.proposals, options.account),
        );
        print(options.json, rows, () => formatAcceptance(rows));
      }),
    );
}

function formatAcceptance(rows: readonly AcceptanceRow[]): string {
  if (rows.length === 0) return 'No decided proposals yet.';
  const lines = rows.map(
    (r) =>
      `  ${r.category.replace(/_/g, ' ').padEnd(24)} ${r.drafter.padEnd(8)} ${String(r.accepted).padStart(8)} ${String(r.rejected).padStart(8)} ${r.rate === null ? '   –' : percent(r.rate).padStart(8)}`,
  );
  return [
    `  ${'category'.padEnd(24)} ${'drafter'.padEnd(8)} accepted rejected  accepted %`,
    ...lines,
  ].join('\n');
}

function registerShow(proposals: Command): void {
  proposals
    .command('show <id>')
    .description('Show a proposal: finding, evidence, diff and history')
    .option('--json', 'print JSON', false)
    .action((id: string, options: CommonOptions) =>
      withApp(false, async (app) => {
        const proposal = await mustGet(app, id);
        const waiting = await app.deps.stores.heldDrafts.behind(id);
        print(options.json, proposal, () => formatProposal(proposal, waiting));
      }),
    );
}

function registerApprove(proposals: Command): void {
  proposals
    .command('approve <id>')
    .description(
      'Approve a pending proposal and queue its apply (held while another change to its target is measured)',
    )
    .option(
      '--fill <description=value...>',
      'fill a {{fill: description}} placeholder',
      collectFill,
      {},
    )
    .option('--as <actor>', 'who approves, e.g. cli:alice (default: cli:<your user name>)')
    .option(
      '--revision <n>',
      'approve only if the proposal is still at this revision (as `proposals show` printed it)',
    )
    .option(
      '--now',
      'apply here and wait for the result instead of leaving it to the workers',
      false,
    )
    .option(
      '--apply-anyway',
      'apply even while another change to the same target is being measured (its impact check is still open); both impact checks then say the attribution is shared. Also for an approved proposal waiting behind one',
      false,
    )
    .option('--json', 'print JSON', false)
    .action((id: string, options: ApproveOptions) =>
      withApp(options.now, (app) => approve(app, id, options)),
    );
}

/** Approves through the decide service (which queues the apply), and with `--now` waits for it. */
async function approve(app: App, id: string, options: ApproveOptions): Promise<void> {
  await mustGet(app, id);
  const {
    proposal: approved,
    applyJob,
    alongside,
  } = await app.decisions.approve({
    proposalId: id,
    actor: actorOf(options),
    fills: options.fill,
    ...(options.revision === undefined ? {} : { revision: revisionOf(options.revision) }),
    ...(options.applyAnyway ? { applyAnyway: true } : {}),
  });
  if (options.now) await waitForApply(app, id);
  const latest = (await app.deps.stores.proposals.get(id)) ?? approved;
  print(options.json, latest, () =>
    [
      options.now
        ? formatProposalLine(latest)
        : `Approved ${id}; apply queued as job ${applyJob.id} for the workers.`,
      ...(alongside === undefined
        ? []
        : [`Approved ${alongside.id} with it (its pair); its apply is queued too.`]),
      ...describeAttribution(latest),
    ].join('\n'),
  );
}

/** `--revision`'s value, or a clear error. */
function revisionOf(raw: string): number {
  const revision = Number(raw);
  if (!Number.isInteger(revision) || revision < 1) {
    throw new AppError(
      `--revision must be a whole number from 1 (see \`proposals show\`), not "${raw}"`,
      { code: 'request_invalid', retryable: false },
    );
  }
  return revision;
}

async function waitForApply(app: App, id: string): Promise<void> {
  const { settled } = await waitUntilSettled(app, [id], APPLY_TIMEOUT_MS);
  if (!settled) {
    throw new AppError(
      `Proposal ${id} did not finish applying within ${APPLY_TIMEOUT_MS / 1000} s; is a worker running?`,
      { code: 'proposal_busy', retryable: true },
    );
  }
}

function registerReject(proposals: Command): void {
  proposals
    .command('reject <id>')
    .description('Reject a pending proposal')
    .option('--reason <text>', 'why, recorded in the history')
    .option('--as <actor>', 'who rejects (default: cli:<your user name>)')
    .option('--json', 'print JSON', false)
    .action((id: string, options: RejectOptions) =>
      withApp(false, async (app) => {
        await mustGet(app, id);
        const rejected = await app.decisions.reject({
          proposalId: id,
          actor: actorOf(options),
          ...(options.reason ? { reason: options.reason } : {}),
        });
        const pair = rejected.pair?.proposalId;
        const other = pair === undefined ? null : await app.deps.stores.proposals.get(pair);
        const withPair =
          other?.status === 'rejected' ? ` Rejected ${other.id} with it (its pair).` : '';
        print(options.json, rejected, () => `Rejected ${id}.${withPair}`);
      }),
    );
}

function registerRevert(proposals: Command): void {
  proposals
    .command('revert <id>')
    .description('Draft the inverse of an applied proposal as a new pending proposal')
    .option('--as <actor>', 'who asks for the revert (default: cli:<your user name>)')
    .option('--json', 'print JSON', false)
    .action((id: string, options: CommonOptions) =>
      withApp(false, (app) => revert(app, id, options)),
    );
}

async function revert(app: App, id: string, options: CommonOptions): Promise<void> {
  const proposal = await mustGet(app, id);
  const drafted = await draftRevert({
    proposal,
    stores: app.deps.stores,
    client: app.deps.klaviyo(proposal.accountId, 'read'),
    actor: actorOf(options),
  });
  print(
    options.json,
    drafted,
    () => `Drafted revert ${drafted.id} (pending approval):\n\n${formatProposal(drafted)}`,
  );
}

async function withApp(workers: boolean, work: (app: App) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: workers ? 'warn' : 'error' });
  const app = await startApp(config, { logger, ...(workers ? { jobs } : {}) });
  try {
    await work(app);
  } finally {
    await app.close();
  }
}

async function mustGet(app: App, id: string): Promise<Proposal> {
  const proposal = await app.deps.stores.proposals.get(id);
  if (!proposal) {
    throw new AppError(`No proposal ${id}; see \`agent-trainer proposals list\``, {
      code: 'proposal_not_found',
      retryable: false,
    });
  }
  return proposal;
}

function actorOf(options: { as?: string }): string {
  return options.as ?? `cli:${userInfo().username}`;
}

function parseStatus(text: string): ProposalStatus {
  if ((PROPOSAL_STATUSES as readonly string[]).includes(text)) return text as ProposalStatus;
  throw new InvalidArgumentError(`must be one of ${PROPOSAL_STATUSES.join(', ')}`);
}

function collectFill(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('takes description=value');
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1).trim() };
}

function print(json: boolean, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data)}\n` : `${text()}\n`);
}
