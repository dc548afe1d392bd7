import type { SuspiciousConversation } from '../../loop/diagnose/suspicious.js';
import { html, page, table } from './html.js';

export function suspiciousPage(input: {
  who: string;
  days: number;
  conversations: SuspiciousConversation[];
}): string {
  const rows = input.conversations.map(
    (c) =>
      html`<tr>
        <td>${c.accountId}</td>
        <td><code>${c.conversationId}</code></td>
        <td>${c.reason}</td>
        <td><q>${c.quote}</q></td>
        <td class="muted">${c.updatedAt.slice(0, 16).replace('T', ' ')}</td>
      </tr>`,
  );
  const body = html`<h1>Suspicious conversations</h1>
    <p>
      Shopper messages of the last ${String(input.days)} days that tried to instruct whoever reviews
      or trains the agent. They are never used to draft a change; read them, and report abuse if
      needed. <a href="/proposals">Back to proposals</a>.
    </p>
    ${table(['Account', 'Conversation', 'Why', 'Message', 'Updated (UTC)'], rows, 'None.')}`;
  return page({ title: 'Suspicious conversations', who: input.who, body });
}
