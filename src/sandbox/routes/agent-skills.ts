import { conflict, invalidPointer } from '../http-errors.js';
import { AgentUpdate, SkillCreate, SkillUpdate, parseBody } from '../request-schemas.js';
import { SandboxStore, type SkillState } from '../store.js';
import { found, list, single, type HandlerMap, type RequestContext } from './context.js';

/** The customer agent (a singleton: any id in the path answers with the real one) and skills. */
export const agentSkillHandlers: HandlerMap = {
  get_customer_agent_beta: (ctx) => single(ctx.ser.agent(ctx.store.agent)),

  update_customer_agent_beta: (ctx) => {
    const { attributes } = parseBody(AgentUpdate, ctx.body, {
      type: 'customer-agent',
      pathId: ctx.id,
    }).data;
    const agent = ctx.store.agent;
    const tone = attributes.tone_of_voice;
    if (tone) {
      const preset = tone.preset ?? agent.tone.preset;
      const instruction = tone.custom_instruction ?? agent.tone.custom_instruction;
      if (preset === 'custom' && !instruction) {
        throw invalidPointer(
          '/data/attributes/tone_of_voice/custom_instruction',
          "preset 'custom' needs a custom_instruction",
        );
      }
      agent.tone = {
        preset,
        custom_instruction: instruction,
        updated_at: SandboxStore.bump(agent.tone.updated_at ?? 0, ctx.now()),
      };
    }
    if (attributes.name !== undefined && attributes.name !== null) agent.name = attributes.name;
    // Both arrays are replaced whole, never merged (the spec's documented semantics).
    if (attributes.escalation_rules) agent.escalation_rules = attributes.escalation_rules;
    if (attributes.communication_styles)
      agent.communication_styles = attributes.communication_styles;
    return single(ctx.ser.agent(agent));
  },

  get_agent_skills_beta: (ctx) =>
    list(
      sortedSkills(ctx).map((s) => ctx.ser.skill(s)),
      ctx.selfUrl,
    ),

  get_agent_skill_beta: (ctx) =>
    single(ctx.ser.skill(found(ctx.store.skills, ctx.id, 'agent-skill'))),

  create_agent_skill_beta: (ctx) => {
    const { attributes, relationships } = parseBody(SkillCreate, ctx.body, {
      type: 'agent-skill',
    }).data;
    requireText(attributes.display_name, 'display_name');
    requireText(attributes.description, 'description');
    const now = ctx.now();
    const skill: SkillState = {
      id: ctx.store.newId('custom:agent_'),
      source: 'custom',
      name: uniqueName(ctx, attributes.display_name),
      display_name: attributes.display_name,
      description: attributes.description,
      instructions: attributes.instructions,
      status: attributes.status,
      handoff: attributes.handoff ?? 'offer',
      toolIds: toolIds(ctx, relationships?.['agent-tools']?.data),
      created_at: now,
      updated_at: now,
    };
    ctx.store.skills.set(skill.id, skill);
    return single(ctx.ser.skill(skill), 201);
  },

  update_agent_skill_beta: (ctx) => {
    const skill = found(ctx.store.skills, ctx.id, 'agent-skill');
    const { attributes, relationships } = parseBody(SkillUpdate, ctx.body, {
      type: 'agent-skill',
      pathId: ctx.id,
    }).data;
    // Sparse: only the attributes sent (and not null) change.
    for (const key of ['display_name', 'description', 'instructions'] as const) {
      const value = attributes[key];
      if (value !== undefined && value !== null) {
        if (key !== 'instructions') requireText(value, key);
        skill[key] = value;
      }
    }
    if (attributes.status) skill.status = attributes.status;
    if (attributes.handoff) skill.handoff = attributes.handoff;
    const tools = relationships?.['agent-tools'];
    if (tools) skill.toolIds = toolIds(ctx, tools.data); // a full replacement, not merged
    skill.updated_at = SandboxStore.bump(skill.updated_at, ctx.now());
    return single(ctx.ser.skill(skill));
  },

  delete_agent_skill_beta: (ctx) => {
    const skill = found(ctx.store.skills, ctx.id, 'agent-skill');
    if (skill.source === 'prebuilt') {
      throw conflict(
        `Prebuilt skill '${skill.id}' cannot be deleted; set its status to draft instead.`,
      );
    }
    ctx.store.skills.delete(skill.id);
    return { status: 204 };
  },
};

function sortedSkills(ctx: RequestContext): SkillState[] {
  return [...ctx.store.skills.values()].sort(
    (a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id),
  );
}

function requireText(value: string, field: string): void {
  if (value.trim() === '')
    throw invalidPointer(`/data/attributes/${field}`, `${field} must not be empty`);
}

function toolIds(ctx: RequestContext, data: { id: string }[] | undefined): string[] {
  const ids = (data ?? []).map((d) => d.id);
  ids.forEach((id, i) => {
    if (!ctx.store.tools.has(id)) {
      throw invalidPointer(
        `/data/relationships/agent-tools/data/${i}/id`,
        `No agent-tool with id '${id}' exists.`,
      );
    }
  });
  return [...new Set(ids)];
}

/** Skill names are generated from the display name (snake_case), unique per account. */
function uniqueName(ctx: RequestContext, displayName: string): string {
  const base =
    displayName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'skill';
  const taken = new Set([...ctx.store.skills.values()].map((s) => s.name));
  let name = /^[a-z]/.test(base) ? base : `skill_${base}`;
  for (let n = 2; taken.has(name); n += 1) name = `${base}_${n}`;
  return name;
}
