import type { ChatMessage } from "../../app/modules/storefront/chat-contract";
import { h, vh } from "../dom";
import { bubbleText, citationTitles, richText } from "../message-text";
import { isLocalId, type ListedMessage, normalizeBody } from "../messages";
import type { ChatState } from "../state";
import { format, type Strings } from "../strings";
import { renderOrderCard } from "./order-card";

/**
 * The conversation: the greeting, then one element per message, kept across renders (keyed by id) so that a
 * screen reader announces each message once, then the reply being streamed (hidden from screen readers until
 * it is final). It follows the newest message unless the shopper scrolled up to read.
 */
export interface MessageLog {
  readonly el: HTMLElement;
  update(state: ChatState): void;
  /** Scroll to the newest message from now on (the shopper sent something, or opened the panel). */
  follow(): void;
}

/** One message's element: who wrote it (for screen readers, or the staff member's name), text, sources, order card. */
export function messageElement(message: ListedMessage, s: Strings, assistantLabel: string, locale: string): HTMLElement {
  const author = message.author;
  let who: HTMLElement | null = null;
  if (author === "shopper") who = vh(`${s.you}: `);
  else if (author === "assistant") who = vh(`${assistantLabel}: `);
  else if (author === "staff") who = h("p", { class: "who" }, message.authorName || s.team_member);
  const text = bubbleText(message);
  // The shopper's own words stay as typed; links come from the shop's side only.
  const content = author === "assistant" || author === "staff" ? richText(text, s.new_tab) : [text];
  return h(
    "div",
    { class: `msg msg--${author}${message.local ? " msg--sending" : ""}`, "data-author": author, "data-message-id": message.id },
    who,
    h("div", { class: "bubble" }, ...content),
    ...citationTitles(message).map((title) => h("p", { class: "cite" }, format(s.source, { title }))),
    message.orderCard ? renderOrderCard(message.orderCard, s, locale) : null,
  );
}

export function createMessageLog(s: Strings, locale: string): MessageLog {
  const welcomeText = h("div", { class: "bubble" });
  const welcome = h("div", { class: "msg msg--assistant msg--welcome" }, welcomeText);
  const el = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": s.messages_label, tabindex: "0" }, welcome);
  const rendered = new Map<string, { message: ListedMessage; el: HTMLElement }>();
  let streaming: HTMLElement | null = null;
  let stick = true;
  let current: ChatState | null = null;
  el.addEventListener("scroll", () => {
    stick = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  });

  /** This tab's shopper message came back from the server: keep its element (no second announcement). */
  const takeLocalElement = (message: ChatMessage, messages: readonly ListedMessage[]): HTMLElement | null => {
    const body = normalizeBody(message.body);
    for (const [id, entry] of rendered) {
      if (isLocalId(id) && entry.message.local && normalizeBody(entry.message.body) === body && !messages.some((item) => item.id === id)) {
        rendered.delete(id);
        entry.el.classList.remove("msg--sending");
        entry.el.setAttribute("data-message-id", message.id);
        return entry.el;
      }
    }
    return null;
  };

  const scroll = () => {
    if (current?.opened && stick) el.scrollTop = el.scrollHeight;
  };

  const update = (state: ChatState) => {
    current = state;
    const assistantLabel = state.assistantName || s.panel_label;
    welcomeText.textContent = state.greeting;
    if (state.connecting) el.setAttribute("aria-busy", "true");
    else el.removeAttribute("aria-busy");

    const seen = new Set<string>();
    let cursor: ChildNode | null = welcome.nextSibling;
    for (const message of state.messages) {
      seen.add(message.id);
      let entry = rendered.get(message.id);
      if (entry && entry.message !== message && sameContent(entry.message, message)) entry.message = message;
      if (!entry || entry.message !== message) {
        const reused = !entry && !message.local && message.author === "shopper" ? takeLocalElement(message, state.messages) : null;
        const next = reused ?? messageElement(message, s, assistantLabel, locale);
        if (entry && entry.el !== next) {
          // The same message with new content (rare): swap it in place.
          if (cursor === entry.el) cursor = next;
          entry.el.replaceWith(next);
        }
        entry = { message, el: next };
        rendered.set(message.id, entry);
      }
      if (entry.el !== cursor) el.insertBefore(entry.el, cursor);
      cursor = entry.el.nextSibling;
    }
    for (const [id, entry] of rendered) {
      if (!seen.has(id)) {
        entry.el.remove();
        rendered.delete(id);
      }
    }

    if (state.pending?.text) {
      if (!streaming) streaming = h("div", { class: "msg msg--assistant msg--streaming", "aria-hidden": "true" }, h("div", { class: "bubble" }));
      (streaming.firstChild as HTMLElement).textContent = state.pending.text;
      if (streaming !== el.lastChild) el.appendChild(streaming);
    } else if (streaming) {
      streaming.remove();
      streaming = null;
    }
    scroll();
  };

  return {
    el,
    update,
    follow() {
      stick = true;
      scroll();
    },
  };
}

function sameContent(a: ListedMessage, b: ListedMessage): boolean {
  return Boolean(a.local) === Boolean(b.local) && JSON.stringify(a) === JSON.stringify(b);
}

/** "Typing…" dots while a reply is on its way and nothing of it has streamed yet. */
export function createTypingIndicator(s: Strings) {
  const el = h("div", { class: "typing-region", role: "status" });
  const dots = h("div", { class: "typing" }, h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")), vh(s.typing));
  return {
    el,
    update(state: ChatState) {
      const visible = state.typing && !state.pending?.text;
      if (visible && !dots.parentNode) el.appendChild(dots);
      else if (!visible && dots.parentNode) dots.remove();
    },
  };
}
