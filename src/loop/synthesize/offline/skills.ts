import type { AgentConfigView, SkillView } from '../../../domain/agent-config.js';
import type { Finding } from '../../../domain/finding.js';
import { overlap } from '../../../domain/text.js';
import {
  contentWords,
  draft,
  skillOf,
  skillUpdate,
  skip,
  topicOf,
  type RulesOutcome,
} from './draft.js';

/** The skill templates: a wrong skill's description routes the topic, an instruction gap gets a line. */

/** The skill whose name and description share the most words with the topic, if any does. */
function bestSkillFor(topic: string, skills: readonly SkillView[]): SkillView | undefined {
  const words = contentWords(topic);
  let best: { skill: SkillView; score: number } | undefined;
  const ordered = [...skills].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const skill of ordered) {
    const text = `${skill.name.replace(/_/g, ' ')} ${skill.displayName} ${skill.description}`;
    const score = overlap(words, contentWords(text));
    if (score > 0 && (best === undefined || score > best.score)) best = { skill, score };
  }
  return best?.skill;
}

export function wrongSkill(finding: Finding, view: AgentConfigView): RulesOutcome {
  const skill = skillOf(finding, view);
  if (skill === undefined) return skip('The finding names no skill of the agent to clarify.');
  const topic = topicOf(finding);
  const best = bestSkillFor(topic, view.skills);
  let field: 'description' | 'instructions' = 'description';
  let line: string;
  let why: string;
  if (best !== undefined && best.id !== skill.id) {
    line = `Does not handle ${topic} — those belong to ${best.displayName}.`;
    why = `"${best.displayName}" matches the topic better; the description now routes it there.`;
  } else if (best !== undefined) {
    line = `Also handles questions about ${topic}.`;
    why = `"${skill.displayName}" is the skill for the topic; its description now says so.`;
  } else {
    field = 'instructions';
    line = `Questions about ${topic} may not belong to this skill: answer only what these instructions cover and offer a handoff for the rest.`;
    why = 'No skill clearly covers the topic; the instructions now keep it from guessing.';
  }
  if (skill[field].includes(line)) return skip(`Skill "${skill.displayName}" already says this.`);
  const impact = `Questions about ${topic} reach the skill that can answer them.`;
  return draft(skillUpdate(skill, field, line), why, impact);
}

export function instructionGap(finding: Finding, view: AgentConfigView): RulesOutcome {
  const skill = skillOf(finding, view);
  if (skill === undefined) return skip('The finding names no skill whose instructions to extend.');
  const topic = topicOf(finding);
  const line = `- When a shopper asks about ${topic}: {{fill: how to handle ${topic}}}`;
  if (skill.instructions.includes(line)) {
    return skip(`Skill "${skill.displayName}" already has this guidance line.`);
  }
  const why = `The instructions of "${skill.displayName}" gain one line about the topic.`;
  const impact = `"${skill.displayName}" handles ${topic} the way the store wants.`;
  return draft(skillUpdate(skill, 'instructions', line), why, impact);
}
