import { expect } from 'vitest';
import type { KlaviyoClient } from '../../../src/klaviyo/index.js';

/**
 * Drives every configuration operation (agent, secrets, tools, skills, knowledge) through the
 * client, small page sizes included so that `links.next` is followed. The contract itself is
 * checked afterwards on the recorded exchanges; the expectations here only make sure each call
 * really happened and returned what it should.
 */

export interface Clients {
  read: KlaviyoClient;
  write: KlaviyoClient;
}

/** Ids created here, deleted by `deleteConfiguration`. */
export interface CreatedConfig {
  secretId: string;
  toolId: string;
  skillId: string;
  knowledgeIds: string[];
}

export async function driveAgent({ read, write }: Clients): Promise<void> {
  const agent = await read.agent.get();
  const rule = {
    title: 'Refund over $500',
    description: 'Escalate refunds over $500',
    status: 'enabled' as const,
  };
  const updated = await write.agent.update({
    escalation_rules: [...agent.attributes.escalation_rules.map(asRequestItem), rule],
  });
  expect(updated.attributes.escalation_rules).toContainEqual(rule);
}

async function driveSecretAndTool({
  read,
  write,
}: Clients): Promise<{ secretId: string; toolId: string }> {
  const secret = await write.secrets.create({
    name: 'Contract order API',
    value: 'sk_contract_value',
  });
  expect((await read.secrets.get(secret.id)).attributes.name).toBe('Contract order API');
  await write.secrets.update(secret.id, {
    name: 'Contract order API (rotated)',
    value: 'sk_rotated',
  });
  expect((await read.secrets.list().toArray()).map((s) => s.id)).toContain(secret.id);

  const tool = await write.tools.create({
    name: 'Contract order lookup',
    public_description: 'Finds an order by its number',
    details: {
      type: 'custom',
      request_template: {
        url_template: 'https://orders.example/{{order_id}}',
        http_method: 'GET',
        headers: [{ name: 'Authorization', value: 'Bearer {{api_key}}' }],
      },
      variables: [
        { name: 'order_id', type: 'string', required: true, source: 'dynamic' },
        { name: 'api_key', type: 'string', source: 'secret', value: secret.id },
      ],
    },
  });
  expect((await read.tools.get(tool.id)).attributes.name).toBe('Contract order lookup');
  await write.tools.update(tool.id, { public_description: 'Finds an order by number or email' });
  expect(await read.tools.listSecretIds(tool.id)).toEqual([secret.id]);
  expect((await read.tools.listSecrets(tool.id)).map((s) => s.id)).toEqual([secret.id]);
  expect(await read.secrets.listToolIds(secret.id)).toContain(tool.id);
  expect((await read.secrets.listTools(secret.id).toArray()).map((t) => t.id)).toContain(tool.id);
  return { secretId: secret.id, toolId: tool.id };
}

async function driveToolListings({ read }: Clients, toolId: string): Promise<void> {
  const pages = [];
  for await (const page of read.tools.list({ pageSize: 1 }).pages()) pages.push(page);
  expect(pages.length).toBeGreaterThan(1);
  expect(pages.flatMap((p) => p.items.map((t) => t.id))).toContain(toolId);
  const found = await read.tools.list({ filter: 'contains(name,"Contract order")' }).toArray();
  expect(found.map((t) => t.id)).toEqual([toolId]);
}

async function driveSkill({ read, write }: Clients, toolId: string): Promise<string> {
  const skill = await write.skills.create(
    {
      display_name: 'Contract order status',
      description: 'Answers where-is-my-order questions',
      instructions: 'Look the order up with the order lookup tool, then answer in two sentences.',
      status: 'draft',
    },
    { toolIds: [toolId] },
  );
  expect((await read.skills.get(skill.id)).attributes.status).toBe('draft');
  const live = await write.skills.update(skill.id, { status: 'live' }, { toolIds: [toolId] });
  expect(live.attributes.status).toBe('live');
  expect((await read.skills.list().toArray()).map((s) => s.id)).toContain(skill.id);
  expect(await read.tools.listSkillIds(toolId)).toEqual([skill.id]);
  const skills = await read.tools.listSkills(toolId).toArray();
  expect(skills.map((s) => s.id)).toEqual([skill.id]);
  return skill.id;
}

async function driveKnowledge({ read, write }: Clients): Promise<string[]> {
  const snippet = await write.knowledge.create({
    source_type: 'snippet',
    title: 'Contract shipping',
    content: 'We ship to 40 countries.',
  });
  const page = await write.knowledge.create({
    source_type: 'webpage',
    url: 'https://contract-shop.example/returns',
    scope: 'single-page',
  });
  const file = await write.knowledge.uploadFile({
    filename: 'contract-faq.txt',
    content: new TextEncoder().encode('Q: Do you gift wrap?\nA: Yes, for $5.'),
    contentType: 'text/plain',
    title: 'Contract FAQ',
  });
  expect(file.attributes.source.source_type).toBe('file');
  const edited = await write.knowledge.update(snippet.id, { content: 'We ship to 41 countries.' });
  expect(edited.attributes.source).toMatchObject({ content: 'We ship to 41 countries.' });
  expect((await read.knowledge.get(page.id)).id).toBe(page.id);
  const pages = [];
  for await (const p of read.knowledge.list({ pageSize: 2 }).pages()) pages.push(p);
  expect(pages.length).toBeGreaterThan(1);
  const ids = pages.flatMap((p) => p.items.map((k) => k.id));
  expect(ids).toEqual(expect.arrayContaining([snippet.id, page.id, file.id]));
  return [snippet.id, page.id, file.id];
}

/** Creates, reads, lists (paged), updates and links one of each configuration resource. */
export async function driveConfiguration(clients: Clients): Promise<CreatedConfig> {
  await driveAgent(clients);
  const { secretId, toolId } = await driveSecretAndTool(clients);
  await driveToolListings(clients, toolId);
  const skillId = await driveSkill(clients, toolId);
  const knowledgeIds = await driveKnowledge(clients);
  return { secretId, toolId, skillId, knowledgeIds };
}

/** Deletes what driveConfiguration created, dependents first. */
export async function deleteConfiguration(
  { read, write }: Clients,
  created: CreatedConfig,
): Promise<void> {
  await write.skills.delete(created.skillId);
  await write.tools.delete(created.toolId);
  await write.secrets.delete(created.secretId);
  for (const id of created.knowledgeIds) await write.knowledge.delete(id);
  const remaining = (await read.knowledge.list().toArray()).map((k) => k.id);
  for (const id of created.knowledgeIds) expect(remaining).not.toContain(id);
}

/** A rule as read, as the update body takes it: only the statuses a client may write. */
export function asRequestItem(item: { title: string; description: string; status: string }): {
  title: string;
  description: string;
  status: 'enabled' | 'disabled';
} {
  const status =
    item.status === 'enabled' ? 'enabled' : item.status === 'disabled' ? 'disabled' : null;
  if (status === null) {
    throw new Error(
      `the API answered the rule status "${item.status}", which a client cannot write`,
    );
  }
  return { title: item.title, description: item.description, status };
}
