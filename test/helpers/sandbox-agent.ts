import type { GuidanceItem } from '../../src/patches/patch.js';
import { createAgent, type AgentKnowledge } from '../../src/sandbox/agent.js';

/**
 * The escalation rule the sandbox agent fires on a shopper's one message, with only these rules
 * and knowledge configured (null when none fires): how a drafted rule change behaves in a replay.
 */
export function ruleFiredOn(
  rules: GuidanceItem[],
  knowledge: AgentKnowledge[],
  text: string,
): string | null {
  return createAgent({
    name: null,
    tonePreset: 'friendly',
    escalationRules: rules,
    communicationStyles: [],
    skills: [],
    knowledge,
  }).respond({ messages: [{ role: 'user', content: text }], channel: 'chat' }).escalationRule;
}
