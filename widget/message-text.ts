import type { ChatMessage } from "../app/modules/storefront/chat-contract";
import { h, vh } from "./dom";

/**
 * What a message's bubble shows: its text with web addresses as links, and its sources once, under the bubble.
 * Message text is page data from the server (and, through the model, from the shopper): it only ever becomes
 * text nodes and `<a href>` elements whose address passed `safeHttpUrl`, never HTML.
 */

/** Only http(s) links leave the widget, and none with credentials in them (`https://shop.com@evil.example`). */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return url.username || url.password ? null : url.href;
  } catch {
    return null;
  }
}

export type TextPart = string | { text: string; href: string };

// A Markdown link `[label](https://…)` (what a model tends to write), or a bare http(s) address.
const LINK = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s()<>]+)\)|\bhttps?:\/\/[^\s<>"'`«»“”‘’]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?*_~]+$/;

const count = (text: string, char: string) => text.split(char).length - 1;

/** A bare address ends before sentence punctuation and before a closing bracket it did not open. */
function trimAddress(raw: string): string {
  let text = raw;
  for (;;) {
    const before = text;
    text = text.replace(TRAILING_PUNCTUATION, "");
    const close = text[text.length - 1] ?? "";
    const open = ({ ")": "(", "]": "[", "}": "{" } as Record<string, string>)[close];
    if (open && count(text, open) < count(text, close)) text = text.slice(0, -1);
    if (text === before) return text;
  }
}

/** The text split into plain pieces and links (in order; joining the pieces' text gives back the text). */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let done = 0;
  LINK.lastIndex = 0;
  for (let match = LINK.exec(text); match; match = LINK.exec(text)) {
    const start = match.index;
    let whole = match[0];
    let part: TextPart | null = null;
    if (match[1] !== undefined) {
      const href = safeHttpUrl(match[2]);
      if (href) part = { text: match[1], href };
    } else {
      whole = trimAddress(whole);
      const href = safeHttpUrl(whole);
      if (href) part = { text: whole, href };
    }
    if (!part) continue;
    if (start > done) parts.push(text.slice(done, start));
    parts.push(part);
    done = start + whole.length;
  }
  if (done < text.length) parts.push(text.slice(done));
  return parts;
}

/** Text nodes and links (opening in a new tab, without handing the page to the site: noopener). */
export function richText(text: string, newTabLabel: string): (Node | string)[] {
  return linkParts(text).map((part) =>
    typeof part === "string" ? part : h("a", { href: part.href, target: "_blank", rel: "noopener noreferrer" }, part.text, vh(` ${newTabLabel}`)),
  );
}

/** The message's source titles, each once, in order. */
export function citationTitles(message: Pick<ChatMessage, "citations">): string[] {
  const titles: string[] = [];
  for (const citation of Array.isArray(message.citations) ? message.citations : []) {
    const title = typeof citation?.title === "string" ? citation.title.trim() : "";
    if (title && !titles.includes(title)) titles.push(title);
  }
  return titles;
}

// "Source: …" lines the assistant used to end its replies with (en/fr/de/es; pt/it "Fonte").
const TRAILING_SOURCE_LINES = /(?:\n[ \t]*(?:sources?|quellen?|fuentes?|fontes?)[ \t\u00a0]*:[^\n]*)+\s*$/i;

/**
 * The text to show in the bubble. The sources are shown under it, so a message with citations loses the
 * "Source: …" lines at its end (messages stored before the reply text stopped carrying them).
 */
export function bubbleText(message: Pick<ChatMessage, "body" | "citations">): string {
  const body = typeof message.body === "string" ? message.body : "";
  if (citationTitles(message).length === 0) return body;
  return body.replace(TRAILING_SOURCE_LINES, "").trimEnd() || body;
}
