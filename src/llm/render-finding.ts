import type { Finding } from '../domain/finding.js';
import { attr, neutralizeFences } from './fence.js';
import { percent } from '../domain/format.js';
import { describeWindowShare } from '../domain/finding.js';

const EMAIL = /[^\s@<>"]+@[^\s@<>"]+\.[a-z]{2,}/gi;
// Seven or more digits, possibly split by spaces, dots, dashes or parentheses: phones, orders, cards.
const LONG_NUMBER = /\+?\d[\d\s().-]{5,}\d/g;

/**
 * Drops the most common personal data from a quote before it is shown to the drafter or the
 * judge: they need the shape of the problem, not who had it, and a patch must never carry it.
 */
export function scrubPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]').replace(LONG_NUMBER, '[number]');
}

/** A finding as fenced text: its facts, then its evidence quotes as data. */
export function renderFinding(finding: Finding): string {
  const { metrics } = finding;
  const facts = [
    `category: ${finding.category}`,
    `skill id: ${finding.skillId ?? '(none)'}`,
    ...(finding.tookSkillId ? [`took skill id: ${finding.tookSkillId}`] : []),
    `topic: ${attr(finding.topic)}`,
    // Says so when the window is still being fetched failures first (the share is high then).
    `failed conversations: ${finding.conversationIds.length} (${describeWindowShare(metrics)})`,
    `resolution rate: ${metrics.resolutionRate === null ? 'unknown' : percent(metrics.resolutionRate)}`,
  ];
  const quotes = finding.evidence.map(
    (e) =>
      `<quote conversation_id="${attr(e.conversationId)}" message_id="${attr(e.messageId)}">` +
      `${neutralizeFences(scrubPersonalData(e.quote))}</quote>`,
  );
  return [
    `<finding id="${attr(finding.id)}">`,
    ...facts,
    '<evidence>',
    ...(quotes.length > 0 ? quotes : ['(no quotes)']),
    '</evidence>',
    '</finding>',
  ].join('\n');
}
