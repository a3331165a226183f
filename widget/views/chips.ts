import { h, show } from "../dom";
import { type ChatState, visibleQuickReplies } from "../state";
import type { Strings } from "../strings";

/** Suggested replies under the conversation; tapping one sends it as the shopper's message. */
export function createChips(s: Strings, pick: (text: string) => void) {
  const el = h("div", { class: "chips", role: "group", "aria-label": s.suggestions_label });
  let shown = "";
  return {
    el,
    update(state: ChatState) {
      const replies = visibleQuickReplies(state);
      const key = replies.join("\n");
      if (key !== shown) {
        // Rebuilt only when the replies change, so a focused chip keeps its focus across renders.
        shown = key;
        el.textContent = "";
        for (const text of replies) el.appendChild(h("button", { type: "button", class: "chip", onClick: () => pick(text) }, text));
      }
      show(el, replies.length > 0);
    },
  };
}
