import type { ChatMessage } from "../app/modules/storefront/chat-contract";

/**
 * The widget's message list: server messages by id (the same message can arrive from the reply stream, the
 * live stream and a catch-up, in any order) plus the shopper's messages still on their way (`local`).
 * Pure functions over arrays, so the UI re-renders from the result.
 */

export interface ListedMessage extends ChatMessage {
  /** Sent by this tab, not yet confirmed by the server (id starts with `local:`). */
  local?: boolean;
}

const LOCAL_PREFIX = "local:";
let localCounter = 0;

export function localMessage(text: string, now = new Date()): ListedMessage {
  localCounter += 1;
  return { id: `${LOCAL_PREFIX}${localCounter}`, author: "shopper", body: text, createdAt: now.toISOString(), local: true };
}

export function isLocalId(id: string): boolean {
  return id.startsWith(LOCAL_PREFIX);
}

/** The server stores text trimmed with CRLF as LF: compare a local message the same way. */
export function normalizeBody(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

function time(message: ChatMessage): number {
  const parsed = Date.parse(message.createdAt);
  return Number.isFinite(parsed) ? parsed : 0;
}

/**
 * Adds or replaces server messages. A shopper message replaces the oldest local message with the same text
 * (this tab's send coming back). New messages go in createdAt order (ties keep arrival order), before any
 * local ones.
 */
export function mergeMessages(list: readonly ListedMessage[], incoming: readonly ChatMessage[]): ListedMessage[] {
  let result = list.slice();
  for (const message of incoming) {
    if (!message || typeof message.id !== "string") continue;
    const existing = result.findIndex((item) => item.id === message.id);
    if (existing !== -1) {
      result[existing] = message;
      continue;
    }
    if (message.author === "shopper") {
      const body = normalizeBody(message.body);
      const echo = result.findIndex((item) => item.local && normalizeBody(item.body) === body);
      if (echo !== -1) result = result.slice(0, echo).concat(result.slice(echo + 1));
    }
    const at = time(message);
    let index = result.length;
    while (index > 0) {
      const before = result[index - 1]!;
      if (!before.local && time(before) <= at) break;
      index--;
    }
    result.splice(index, 0, message);
  }
  return result;
}

export function removeMessage(list: readonly ListedMessage[], id: string): ListedMessage[] {
  return list.filter((item) => item.id !== id);
}

/** The newest server message's id: where a catch-up (`GET messages?after=`) starts. */
export function lastServerId(list: readonly ListedMessage[]): string | null {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i]!;
    if (!item.local) return item.id;
  }
  return null;
}

/** Quick replies to offer: the last message's, if it is from the assistant. */
export function currentQuickReplies(list: readonly ListedMessage[]): string[] {
  const last = list[list.length - 1];
  return last && last.author === "assistant" && last.quickReplies ? last.quickReplies.filter((text) => typeof text === "string" && text.trim()) : [];
}
