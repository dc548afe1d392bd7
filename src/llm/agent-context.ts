import type { AgentConfigView } from '../patches/agent-config.js';

/**
 * The agent's current configuration as Claude sees it. It is rendered once into the cached system
 * prefix, so the rendering must be byte-identical for identical configurations: every list is
 * sorted by a stable key with a code-point comparison (never the locale) and whitespace is
 * normalized, whatever order the API listed things in.
 */

export interface AgentContextSkill {
  id: string;
  name: string;
  description: string;
  handoff: string;
  status?: string;
}

export interface AgentContextGuidance {
  title: string;
  description: string;
  status: string;
}

export interface AgentContext {
  skills: readonly AgentContextSkill[];
  /** Knowledge snippets by id and title (contents are not needed to diagnose). */
  knowledge: readonly { id: string; title: string }[];
  escalationRules: readonly AgentContextGuidance[];
  communicationStyles: readonly AgentContextGuidance[];
  tone: { preset: string; customInstruction: string | null } | null;
  /**
   * Topics the account's findings already use, for the diagnoser to reuse verbatim so that one
   * subject stays one finding. Normalized (lower case, words only) before they get here.
   */
  recentTopics?: readonly string[];
}

/** Renders the context as the deterministic text block that goes into the cached prefix. */
export function renderAgentContext(context: AgentContext): string {
  const skills = sortBy(context.skills, (s) => s.id).map(
    (s) =>
      `- id: ${line(s.id)} | name: ${line(s.name)} | handoff: ${line(s.handoff)}` +
      (s.status ? ` | status: ${line(s.status)}` : '') +
      `\n  description: ${line(s.description)}`,
  );
  const knowledge = sortBy(context.knowledge, (k) => `${k.id}\u0000${k.title}`).map(
    (k) => `- id: ${line(k.id)} | title: ${line(k.title)}`,
  );
  const guidance = (items: readonly AgentContextGuidance[]) =>
    sortBy(items, (g) => `${g.title}\u0000${g.description}`).map(
      (g) => `- [${line(g.status)}] ${line(g.title)}: ${line(g.description)}`,
    );
  const tone = context.tone
    ? `preset: ${line(context.tone.preset)}; custom instruction: ${
        context.tone.customInstruction ? line(context.tone.customInstruction) : '(none)'
      }`
    : '(not set)';
  return [
    '<agent_config>',
    section(`Skills (${skills.length})`, skills),
    section(`Knowledge snippets (${knowledge.length})`, knowledge),
    section(
      `Escalation rules (${context.escalationRules.length})`,
      guidance(context.escalationRules),
    ),
    section(
      `Communication styles (${context.communicationStyles.length})`,
      guidance(context.communicationStyles),
    ),
    `## Tone\n${tone}`,
    ...(context.recentTopics && context.recentTopics.length > 0
      ? [
          section(
            'Topics already in use (reuse one verbatim when the conversation is about it)',
            [...context.recentTopics].sort().map((t) => `- ${line(t)}`),
          ),
        ]
      : []),
    '</agent_config>',
  ].join('\n');
}

function section(title: string, lines: string[]): string {
  return `## ${title}\n${lines.length > 0 ? lines.join('\n') : '(none)'}`;
}

/** One line, single spaces: stable bytes and no way to fake a new list item. */
function line(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** The configuration as Claude sees it (src/llm renders it into the cached prefix). */
export function toAgentContext(view: AgentConfigView): AgentContext {
  return {
    skills: view.skills.map((s) => ({
      id: s.id,
      name: s.displayName,
      description: s.description,
      handoff: s.handoff,
      status: s.status,
    })),
    knowledge: view.knowledge.map((k) => ({
      id: k.id,
      title: k.title ?? (k.url === null ? '(untitled)' : `webpage ${k.url}`),
    })),
    escalationRules: view.agent.escalationRules,
    communicationStyles: view.agent.communicationStyles,
    tone: { preset: view.agent.tone.preset, customInstruction: view.agent.tone.custom_instruction },
  };
}

/** A skill in full, as a draft may change it. */
function skillInFull(skill: AgentConfigView['skills'][number] | undefined) {
  if (skill === undefined) return null;
  return {
    id: skill.id,
    display_name: skill.displayName,
    description: skill.description,
    instructions: skill.instructions,
    handoff: skill.handoff,
    status: skill.status,
  };
}

/**
 * What a Claude draft for a finding may touch, as JSON for the prompt: the implicated skill in
 * full (and for a wrong skill, the one that took the conversations), the snippets whose title
 * shares a word with the topic (with content), the agent's rules, styles and tone. Store-written
 * config only; no conversation text.
 */
export function targetConfigFor(
  view: AgentConfigView,
  finding: { skillId: string | null; tookSkillId?: string | null | undefined; topic: string },
): unknown {
  const skill = view.skills.find((s) => s.id === finding.skillId);
  const took = view.skills.find((s) => s.id === finding.tookSkillId && s.id !== finding.skillId);
  const words = new Set(
    finding.topic
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => w.length > 3),
  );
  const related = view.knowledge
    .filter((k) => k.sourceType === 'snippet' && k.title !== null)
    .filter((k) =>
      (k.title ?? '')
        .toLowerCase()
        .split(/\W+/)
        .some((w) => words.has(w)),
    )
    .slice(0, 5)
    .map((k) => ({ id: k.id, title: k.title, content: k.content }));
  return {
    skill: skillInFull(skill),
    ...(took === undefined ? {} : { took_skill: skillInFull(took) }),
    related_snippets: related,
    escalation_rules: view.agent.escalationRules,
    communication_styles: view.agent.communicationStyles,
    tone_of_voice: view.agent.tone,
  };
}
