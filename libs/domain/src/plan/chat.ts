import type { PyValue } from '@fts/py-compat';
import type { PyRow } from './python-format.js';

/**
 * Chat rows (OpenAI's fine-tuning format, `messages: [{role, content}]`)
 * as job-templates/fts_jobs/chat.py renders them: the model's chat template
 * renders the conversation; an assistant turn starts where `messages[:i]`
 * with the generation prompt ends and ends where `messages[:i + 1]` ends.
 */
export type ChatMessage = Record<string, unknown> & { role: string; content: string | null };
export type RenderChat = (messages: ChatMessage[], addGenerationPrompt: boolean) => string;

export class ChatFormatError extends Error {}

const ROLES = ['system', 'user', 'assistant', 'tool', 'developer'];

/** A dataset value as plain JSON for the template (dicts as objects). */
function plain(v: PyValue): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** chat.py's messages_of, with its sentences. */
export function messagesOf(row: PyRow): ChatMessage[] {
  const raw = row.get('messages');
  if (!Array.isArray(raw) || raw.length === 0) throw new ChatFormatError('a chat row needs "messages": a non-empty list of {"role", "content"}');
  const messages = raw.map(plain) as ChatMessage[];
  messages.forEach((m, n) => {
    if (!m || typeof m !== 'object' || !ROLES.includes(m.role)) throw new ChatFormatError(`message ${n} needs a "role" among ${ROLES.join(', ')}`);
    if (typeof m.content !== 'string' && m.content !== null && m.content !== undefined) throw new ChatFormatError(`message ${n} needs a text "content"`);
  });
  if (!messages.some((m) => m.role === 'assistant')) throw new ChatFormatError('the conversation has no assistant turn to learn from');
  return messages;
}

/** chat.py's chat_text: the rendered conversation and the [start, end) of each assistant turn. */
export function chatText(render: RenderChat, messages: ChatMessage[]): { text: string; spans: [number, number][] } {
  const text = render(messages, false);
  const spans: [number, number][] = [];
  messages.forEach((m, i) => {
    if (m.role !== 'assistant') return;
    const before = i ? render(messages.slice(0, i), true) : '';
    const upto = render(messages.slice(0, i + 1), false);
    if (!(text.startsWith(before) && text.startsWith(upto) && before.length <= upto.length)) {
      throw new ChatFormatError("the chat template does not render a conversation's beginning as a prefix of it, so the assistant turns cannot be located");
    }
    spans.push([before.length, upto.length]);
  });
  return { text, spans };
}
