import { MAX_MESSAGE_CHARS } from "../../app/modules/storefront/chat-contract";
import { h, ICONS, icon, show } from "../dom";
import { normalizeBody } from "../messages";
import type { ChatState } from "../state";
import { format, type Strings } from "../strings";

/** Characters left are shown from here on. */
const COUNTER_FROM = MAX_MESSAGE_CHARS - 200;

/** The message box: Enter sends, Shift+Enter starts a new line, it grows with its text up to a limit. */
export function createComposer(s: Strings, id: (name: string) => string, submit: (text: string) => void) {
  const input = h("textarea", {
    id: id("input"),
    class: "input",
    name: "message",
    rows: 1,
    maxlength: MAX_MESSAGE_CHARS,
    placeholder: s.composer_placeholder,
    "aria-describedby": id("count"),
    autocomplete: "off",
  });
  const counter = h("p", { id: id("count"), class: "count", hidden: true });
  const sendButton = h("button", { type: "submit", class: "send", "aria-label": s.send }, icon(ICONS.send));
  const el = h(
    "form",
    { class: "composer", novalidate: true },
    h("label", { for: id("input"), class: "vh" }, s.composer_label),
    h("div", { class: "composer__row" }, input, sendButton),
    counter,
  );
  let sending = false;

  const resize = () => {
    const length = input.value.length;
    const left = MAX_MESSAGE_CHARS - length;
    show(counter, length >= COUNTER_FROM);
    counter.textContent = length >= COUNTER_FROM ? format(s.chars_left, { remaining: left }) : "";
    counter.classList.toggle("count--limit", left <= 0);
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 132)}px`;
  };

  const sendNow = () => {
    const text = normalizeBody(input.value);
    if (!text || sending) return;
    input.value = "";
    resize();
    submit(text);
  };

  el.addEventListener("submit", (event) => {
    event.preventDefault();
    sendNow();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      sendNow();
    }
  });
  input.addEventListener("input", resize);

  return {
    el,
    update(state: ChatState) {
      sending = state.sending;
      show(el, state.view === "chat");
      if (sending) sendButton.setAttribute("aria-disabled", "true");
      else sendButton.removeAttribute("aria-disabled");
    },
    /** A message the server never took goes back into the box, unless the shopper already typed something else. */
    restore(text: string) {
      if (input.value) return;
      input.value = text;
      resize();
    },
    focus() {
      input.focus();
    },
  };
}
