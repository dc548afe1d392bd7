import { z } from 'zod';

/**
 * The customer agent's guidance lists (escalation rules, communication styles): the one place that
 * reads such a list, finds an item in it by title and reduces items to what a patch sets. The API
 * gives items no ids and takes each list whole, so a rule or style patch names its item by title
 * and the list written is the list read with that one item added or put in place.
 */

export const GuidanceItemSchema = z.object({
  title: z.string().min(1).max(120),
  description: z.string().min(1).max(2000),
  status: z.enum(['enabled', 'disabled']),
});
export type GuidanceItem = z.infer<typeof GuidanceItemSchema>;

/** One guidance list: its API attribute, its name in the config views, its patches' item member. */
export interface GuidanceList {
  /** The customer agent's attribute (as the API and a baseline's fields spell it). */
  field: 'escalation_rules' | 'communication_styles';
  /** The list in `AgentConfigView.agent` and in the policy's current config. */
  view: 'escalationRules' | 'communicationStyles';
  /** The member of a patch that holds the item; its text fields are `rule.title`, … */
  key: 'rule' | 'style';
  /** How messages name one item. */
  noun: string;
}

export const ESCALATION_RULES: GuidanceList = {
  field: 'escalation_rules',
  view: 'escalationRules',
  key: 'rule',
  noun: 'escalation rule',
};

export const COMMUNICATION_STYLES: GuidanceList = {
  field: 'communication_styles',
  view: 'communicationStyles',
  key: 'style',
  noun: 'communication style',
};

/** The one item a rule or style patch changes. */
export interface GuidanceChange {
  list: GuidanceList;
  /** The item as the patch makes it. */
  item: GuidanceItem;
  /** Edits: the title of the item replaced. Adds: undefined. */
  edited: string | undefined;
}

/** A list as stored (API attributes, a baseline's fields), its items as they are; else `[]`. */
export function guidanceList(value: unknown): GuidanceItem[] {
  return Array.isArray(value) ? (value as GuidanceItem[]) : [];
}

/** One item reduced to what a patch sets (the API may add fields to items). */
export function guidanceItem(value: unknown): GuidanceItem {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  return {
    title: String(record['title'] ?? ''),
    description: String(record['description'] ?? ''),
    status: record['status'] === 'disabled' ? 'disabled' : 'enabled',
  };
}

/** A list reduced to what a patch sets, item by item; `[]` when `value` is not a list. */
export function guidanceItems(value: unknown): GuidanceItem[] {
  return Array.isArray(value) ? value.map(guidanceItem) : [];
}

/**
 * Index of the item a title names: the exact title, else the same title ignoring case and
 * surrounding space. -1 when there is none.
 */
export function findGuidanceIndex(items: readonly GuidanceItem[], title: string): number {
  const exact = items.findIndex((item) => item.title === title);
  if (exact >= 0) return exact;
  const loose = title.trim().toLowerCase();
  return items.findIndex((item) => item.title.trim().toLowerCase() === loose);
}

/** The item a title names (see `findGuidanceIndex`), if there is one. */
export function findGuidance(
  items: readonly GuidanceItem[],
  title: string,
): GuidanceItem | undefined {
  return items[findGuidanceIndex(items, title)];
}

/**
 * `list` with `item` put in place of the item titled `title`, or appended when `title` is
 * undefined (an add) or names no item (the policy refuses such edits first).
 */
export function withGuidance(
  list: readonly GuidanceItem[],
  item: GuidanceItem,
  title?: string,
): GuidanceItem[] {
  const index = title === undefined ? -1 : findGuidanceIndex(list, title);
  if (index < 0) return [...list, item];
  return list.map((existing, i) => (i === index ? item : existing));
}

/** The fields to write for `change`: the list as read (`current`) with its one item in place. */
export function writtenList(
  change: GuidanceChange,
  current: Readonly<Record<string, unknown>>,
): Partial<Record<GuidanceList['field'], GuidanceItem[]>> {
  const { list, item, edited } = change;
  const next = withGuidance(guidanceItems(current[list.field]), item, edited);
  return { [list.field]: guidanceItems(next) };
}

/** A list as the lines a person reads: `* Title [status]` with the description indented. */
export function guidanceText(items: readonly GuidanceItem[]): string {
  return items
    .map((item) => {
      const body = item.description.split('\n').map((line) => `    ${line}`);
      return [`* ${item.title} [${item.status}]`, ...body].join('\n');
    })
    .join('\n');
}
