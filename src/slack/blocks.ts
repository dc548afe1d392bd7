import type { KnownBlock } from '@slack/types';
import { pairSentence, type Proposal } from '../domain/proposal.js';
import { scrubPersonalData } from '../domain/scrub.js';
import { describeWindowShare } from '../domain/finding.js';
import { describeRegression } from '../domain/regression.js';
import { percent } from '../domain/format.js';
import { describeReplay, describeReproduction } from '../domain/replay.js';
import { describeAttribution, isWaiting } from '../domain/attribution.js';

/**
 * Block Kit messages for proposals (pure). Slack rejects a whole message when one part exceeds its
 * limits, so every text is cut to fit: a section text ≤ 3000 characters, a header ≤ 150, ≤ 50 blocks.
 */

/** Slack's limits for the blocks we build. */
export const SLACK_LIMITS = {
  sectionText: 3000,
  headerText: 150,
  blocks: 50,
  /** The fallback `text` of a message; Slack truncates beyond 40 000, we stay far below. */
  fallbackText: 3000,
} as const;

/** Action ids of the proposal buttons; each button's `value` is `pinnedProposal(proposal)`. */
export const PROPOSAL_ACTIONS = {
  approve: 'proposal_approve',
  reject: 'proposal_reject',
  edit: 'proposal_edit',
  /** On a proposal waiting behind another change's attribution window: apply it now. */
  applyAnyway: 'proposal_apply_anyway',
} as const;

/** A proposal and the revision a message or modal shows. */
export interface PinnedProposal {
  id: string;
  /**
   * 0 when the value predates revisions (a message posted before they were counted): it matches
   * no revision, so a click on such a message is refused and the message refreshed.
   */
  revision: number;
}

/** The button value / modal metadata naming the proposal and the revision shown. */
export function pinnedProposal(proposal: Pick<Proposal, 'id' | 'revision'>): string {
  return JSON.stringify({ id: proposal.id, revision: proposal.revision });
}

/** Reads `pinnedProposal`'s value back; a bare proposal id (older messages) reads as revision 0. */
export function readPinnedProposal(value: string): PinnedProposal {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null) {
      const { id, revision } = parsed as { id?: unknown; revision?: unknown };
      if (typeof id === 'string' && typeof revision === 'number') return { id, revision };
    }
  } catch {
    // Not JSON: a bare id from before revisions.
  }
  return { id: value, revision: 0 };
}

/** A message: the fallback `text` (notifications, screen readers) and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface ProposalMessageOptions {
  /** The proposal's page in the web UI (SERVER_PUBLIC_URL set). */
  webUrl?: string;
  /** The account's overview page in the web UI. */
  overviewUrl?: string;
}

const MAX_QUOTES = 3;
const QUOTE_CHARS = 300;

/** Cuts `text` to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function section(text: string): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) },
  };
}

function findingText(proposal: Proposal): string {
  const f = proposal.finding;
  const parts = [
    `*Finding:* ${f.category.replace(/_/g, ' ')} · topic "${escapeMrkdwn(f.topic)}"`,
    f.skillId === null ? '' : ` · skill \`${escapeMrkdwn(f.skillId)}\``,
    `\n${f.conversationIds.length} conversations (${describeWindowShare(f.metrics)})`,
    f.metrics.resolutionRate === null
      ? ''
      : ` · resolution rate ${percent(f.metrics.resolutionRate)}`,
    f.metrics.skillVolume === null ? '' : ` · skill volume ${f.metrics.skillVolume}`,
    `\n*Why:* ${escapeMrkdwn(proposal.rationale)}`,
    `\n*Expected impact:* ${escapeMrkdwn(proposal.expectedImpact)}`,
  ];
  return parts.join('');
}

/** Up to three quotes, scrubbed of personal data: Slack channels are wider than the store. */
function evidenceText(proposal: Proposal): string | null {
  const quotes = proposal.finding.evidence.slice(0, MAX_QUOTES).map((e) => {
    const scrubbed = scrubPersonalData(e.quote.replace(/\s+/g, ' ').trim()).text;
    return `> ${escapeMrkdwn(truncate(scrubbed, QUOTE_CHARS))} — \`${escapeMrkdwn(e.conversationId)}\``;
  });
  return quotes.length === 0 ? null : `*Evidence:*\n${quotes.join('\n')}`;
}

/**
 * The diff in a code block cut to one section; when cut, a note (and a link to the full page when
 * there is one). Backticks are broken up so a diff cannot close the code block early.
 */
function diffText(diff: string, webUrl: string | undefined): string {
  const body = escapeMrkdwn(diff.trimEnd().replace(/```/g, '`\u200b``'));
  const link = webUrl === undefined ? '' : `\n<${webUrl}|See the full diff>`;
  const fence = (inner: string) => `\`\`\`${inner}\`\`\``;
  if (fence(body).length + link.length <= SLACK_LIMITS.sectionText) return fence(body) + link;
  const note = `\n_Diff cut at ${SLACK_LIMITS.sectionText} characters._${link}`;
  const room = SLACK_LIMITS.sectionText - note.length - fence('').length - 1;
  return fence(`${body.slice(0, room)}…`) + note;
}

function buttons(proposal: Proposal): KnownBlock {
  const approve = {
    type: 'button' as const,
    action_id: PROPOSAL_ACTIONS.approve,
    text: { type: 'plain_text' as const, text: 'Approve' },
    value: pinnedProposal(proposal),
  };
  return {
    type: 'actions',
    block_id: 'proposal_actions',
    elements: [
      proposal.placeholders.length === 0 ? { ...approve, style: 'primary' as const } : approve,
      {
        type: 'button',
        action_id: PROPOSAL_ACTIONS.reject,
        text: { type: 'plain_text', text: 'Reject' },
        value: pinnedProposal(proposal),
        style: 'danger',
      },
      {
        type: 'button',
        action_id: PROPOSAL_ACTIONS.edit,
        text: { type: 'plain_text', text: 'Edit' },
        value: pinnedProposal(proposal),
      },
    ],
  };
}

function header(proposal: Proposal): KnownBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(proposal.title, SLACK_LIMITS.headerText) },
  };
}

function idContext(proposal: Proposal, extra: string): KnownBlock {
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: truncate(
          `\`${escapeMrkdwn(proposal.id)}\` · revision ${proposal.revision} · ${proposal.status} · account ${escapeMrkdwn(proposal.accountId)}${extra}`,
          SLACK_LIMITS.sectionText,
        ),
      },
    ],
  };
}

/** Links for the id line: the proposal's page (unless linked below) and the account's overview. */
function webLinks(options: ProposalMessageOptions, { page = true } = {}): string {
  const links = [
    page && options.webUrl !== undefined ? `<${options.webUrl}|Open the proposal>` : null,
    options.overviewUrl === undefined ? null : `<${options.overviewUrl}|Account overview>`,
  ];
  return links.map((link) => (link === null ? '' : ` · ${link}`)).join('');
}

function fallback(text: string): string {
  return truncate(text, SLACK_LIMITS.fallbackText);
}

/** The message asking for a decision on `proposal`, with Approve / Reject / Edit buttons. */
export function proposalMessage(
  proposal: Proposal,
  options: ProposalMessageOptions = {},
): SlackMessage {
  const blocks: KnownBlock[] = [
    header(proposal),
    idContext(
      proposal,
      (proposal.revertOf === null ? '' : ` · reverts ${proposal.revertOf}`) + webLinks(options),
    ),
    section(findingText(proposal)),
  ];
  const paired = pairSentence(proposal);
  if (paired !== null) blocks.push(section(`*Paired.* ${escapeMrkdwn(paired)}`));
  const evidence = evidenceText(proposal);
  if (evidence !== null) blocks.push(section(evidence));
  if (proposal.reproduction !== undefined)
    blocks.push(section(escapeMrkdwn(describeReproduction(proposal.reproduction))));
  blocks.push(section(diffText(proposal.diff, options.webUrl)));
  if (proposal.placeholders.length > 0) {
    const fills = proposal.placeholders.map((d) => `• ${escapeMrkdwn(d)}`).join('\n');
    blocks.push(section(`*To fill before approval* (use Edit):\n${fills}`));
  }
  blocks.push(buttons(proposal));
  return {
    text: fallback(`Proposal for approval: ${proposal.title} (${proposal.id})`),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

function decisionLine(proposal: Proposal): string {
  // The first: later `approved` entries record holds and "apply anyway" (shown below).
  const decided = proposal.history.find(
    (e) => e.status === 'approved' || e.status === 'rejected' || e.status === 'expired',
  );
  if (decided === undefined) return `*Status:* ${proposal.status}`;
  const who = decided.actor.startsWith('slack:')
    ? `<@${decided.actor.slice('slack:'.length)}>`
    : escapeMrkdwn(decided.actor);
  const note = decided.note === undefined ? '' : ` — ${escapeMrkdwn(decided.note)}`;
  return `*${decided.status[0]?.toUpperCase() ?? ''}${decided.status.slice(1)}* by ${who} at ${decided.at}${note}`;
}

function outcomeLines(proposal: Proposal): string[] {
  const lines: string[] = [];
  const { result } = proposal;
  if (proposal.status === 'applying') lines.push('Applying…');
  if (proposal.status === 'applied')
    lines.push(`Applied${result.appliedAt ? ` at ${result.appliedAt}` : ''}.`);
  if (proposal.status === 'conflict')
    lines.push('Not applied: the target changed since the proposal was drafted (conflict).');
  if (proposal.status === 'failed') lines.push('Not applied: the API refused the change.');
  if (result.error !== undefined) lines.push(`Error: ${escapeMrkdwn(result.error)}`);
  if (proposal.reproduction !== undefined)
    lines.push(escapeMrkdwn(describeReproduction(proposal.reproduction)));
  if (result.replay !== undefined) lines.push(escapeMrkdwn(describeReplay(result.replay)));
  if (result.regression !== undefined) {
    const mark = result.regression.regressions.length > 0 ? ':warning: ' : '';
    lines.push(`${mark}${escapeMrkdwn(describeRegression(result.regression))}`);
  }
  lines.push(...describeAttribution(proposal).map(escapeMrkdwn));
  return lines;
}

/** For a proposal waiting behind another change's attribution window: apply it now instead. */
function applyAnywayButton(proposal: Proposal): KnownBlock {
  return {
    type: 'actions',
    block_id: 'proposal_actions',
    elements: [
      {
        type: 'button',
        action_id: PROPOSAL_ACTIONS.applyAnyway,
        text: { type: 'plain_text', text: 'Apply anyway' },
        value: pinnedProposal(proposal),
      },
    ],
  };
}

/**
 * The message that replaces a decided proposal's message: who decided, the apply outcome and the
 * replay result; no buttons but "Apply anyway" on one waiting behind an attribution window. A
 * still-pending proposal (after an edit) keeps its buttons.
 */
export function statusMessage(
  proposal: Proposal,
  options: ProposalMessageOptions = {},
): SlackMessage {
  if (proposal.status === 'pending') return proposalMessage(proposal, options);
  const status = [decisionLine(proposal), ...outcomeLines(proposal)].join('\n');
  const context = idContext(proposal, webLinks(options, { page: false }));
  const blocks: KnownBlock[] = [header(proposal), context, section(status)];
  if (options.webUrl !== undefined) blocks.push(section(`<${options.webUrl}|Open the proposal>`));
  if (isWaiting(proposal)) blocks.push(applyAnywayButton(proposal));
  return {
    text: fallback(`${proposal.title} (${proposal.id}): ${proposal.status}`),
    blocks,
  };
}

/** One suspicious conversation as the Slack thread lists it. */
export interface SuspiciousLine {
  conversationId: string;
  reason: string;
  /** Scrubbed of personal data already; escaped here, since it is an attacker's text. */
  quote: string;
}

/** How many suspicious conversations one thread reply lists (the rest are on the web page). */
const MAX_SUSPICIOUS_LINES = 10;

/**
 * The notice that some conversations tried to instruct the loop, and the thread reply that lists
 * them. Quotes are shown as quotes, escaped, never as instructions to anybody.
 */
export function suspiciousNotice(
  accountId: string,
  conversations: readonly SuspiciousLine[],
  pageUrl: string | undefined,
): { text: string; thread: string } {
  const n = conversations.length;
  const where =
    pageUrl === undefined ? '`agent-trainer suspicious`' : `<${pageUrl}|the suspicious page>`;
  const text = `:warning: ${n} conversation${n === 1 ? '' : 's'} of account \`${escapeMrkdwn(accountId)}\` tried to instruct whoever reviews or trains the agent. They are kept out of every finding and patch; a person should read them (${where}).`;
  const lines = conversations
    .slice(0, MAX_SUSPICIOUS_LINES)
    .map(
      (c) =>
        `• \`${escapeMrkdwn(c.conversationId)}\` — ${escapeMrkdwn(c.reason)}\n> ${escapeMrkdwn(truncate(c.quote.replace(/\s+/g, ' '), QUOTE_CHARS))}`,
    );
  const more = n > MAX_SUSPICIOUS_LINES ? [`…and ${n - MAX_SUSPICIOUS_LINES} more.`] : [];
  return { text, thread: truncate([...lines, ...more].join('\n'), SLACK_LIMITS.sectionText) };
}
