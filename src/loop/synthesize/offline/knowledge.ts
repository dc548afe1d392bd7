import type { AgentConfigView } from '../../../patches/agent-config.js';
import type { Finding } from '../../../domain/finding.js';
import type { Patch } from '../../../patches/patch.js';
import { normalizeTopic, titleTopics } from '../findings.js';
import {
  append,
  draft,
  sentenceCase,
  skip,
  topicOf,
  wordingOf,
  type RulesOutcome,
} from './draft.js';

/** The knowledge-gap template: a snippet for the topic, or the missing details of the one there is. */

export function knowledgeGap(finding: Finding, view: AgentConfigView): RulesOutcome {
  const topic = topicOf(finding);
  const say = wordingOf(view);
  const key = normalizeTopic(topic);
  // A finding named after a snippet carries its title as a topic: the same reading finds it again.
  const existing = view.knowledge.find(
    (k) => k.sourceType === 'snippet' && k.title !== null && titleTopics(k.title).includes(key),
  );
  const impact = `Shoppers asking about ${topic} get an answer instead of a dead end or a handoff.`;
  if (existing !== undefined) {
    const addition = say.snippetAddition(topic);
    if ((existing.content ?? '').includes(addition)) {
      return skip(`Snippet "${existing.title ?? existing.id}" already asks for these details.`);
    }
    const patch: Patch = {
      kind: 'knowledge.update',
      knowledgeId: existing.id,
      changes: { content: append(existing.content ?? '', addition) },
    };
    const why = `The snippet "${existing.title ?? existing.id}" exists but did not answer them; it gains the missing details.`;
    return draft(patch, why, impact);
  }
  const content = say.snippetContent(topic);
  const patch: Patch = {
    kind: 'knowledge.create',
    snippet: { title: sentenceCase(topic).slice(0, 200), content },
  };
  return draft(patch, 'No knowledge snippet covers the topic; this adds one.', impact);
}
