import { apiLocale, type ChatApi, createApi } from "./api";
import { accentPalette } from "./colors";
import { readConfig, type WidgetConfig } from "./config";
import { createConversation } from "./conversation";
import { h, ICONS, icon, show } from "./dom";
import { type Alert, alertText, type ChatState, canEndChat, createStore, initialState, teamIsReplying, type View } from "./state";
import { createTokenStore, type TokenStore } from "./storage";
import { createChips } from "./views/chips";
import { createComposer } from "./views/composer";
import { createCsat } from "./views/csat";
import { createMessageLog, createTypingIndicator } from "./views/message-log";
import { createVerifyForm } from "./views/verify-form";
import css from "./widget.css";

/**
 * The chat panel: a shadow root holding the views (views/*), each rendering from the conversation state
 * (state.ts) on every change; the conversation (conversation.ts) talks to the server and feeds the state.
 * This file wires them together and owns what is about the panel itself: opening, closing, focus, alerts.
 */

export interface MountOptions {
  /** Open the panel as soon as it is built (the shopper clicked the launcher while the widget loaded). */
  openNow?: boolean;
}

export interface WidgetController {
  open(): void;
  close(): void;
  toggle(): void;
  isOpen(): boolean;
  destroy(): void;
}

let idCounter = 0;

export function createWidget(root: HTMLElement, config: WidgetConfig, deps: { api?: ChatApi; tokens?: TokenStore } = {}): WidgetController & { start(): void } {
  const s = config.strings;
  const prefix = `sd${++idCounter}`;
  const id = (name: string) => `${prefix}-${name}`;
  const tokens = deps.tokens ?? createTokenStore(config.shop, () => window.localStorage);
  const store = createStore(initialState(config.greeting, config.greetingCustom));
  const state = () => store.get();
  const conversation = createConversation({ store, api: deps.api ?? createApi(config.base), tokens, locale: apiLocale(config.locale) });
  const launcher = root.querySelector<HTMLButtonElement>(".shopdesk-launcher");
  const cleanups: (() => void)[] = [];
  let alertTimer: ReturnType<typeof setTimeout> | null = null;

  const start = () => void conversation.ensureSession().catch(() => {});

  /** Sends a message (typed, or a chip); a message the server never took goes back into the composer. */
  const send = async (text: string) => {
    log.follow();
    const unsent = await conversation.send(text);
    if (unsent) composer.restore(unsent);
  };

  const focusView = (view: View) => {
    if (!state().opened) return;
    if (view === "verify") verifyForm.focus();
    else if (view === "csat" || view === "thanks") csat.focus(view);
    else composer.focus();
  };

  const setView = (view: View) => {
    store.dispatch({ type: "view", view });
    focusView(view);
  };

  // Header
  const title = h("h2", { id: id("title"), class: "title" }, s.panel_label);
  // Decorative (the name is beside it); an image that fails to load is hidden, not shown broken.
  const avatar = h("img", { class: "avatar", alt: "", hidden: true, referrerpolicy: "no-referrer", onError: () => show(avatar, false) });
  const statusLine = h("p", { class: "status" }, s.status_assistant);
  const closeButton = h("button", { type: "button", class: "close", "aria-label": s.close, onClick: () => close() }, icon(ICONS.close));
  const handoffButton = h(
    "button",
    {
      type: "button",
      class: "tool",
      onClick: async () => {
        if (await conversation.handoff()) log.follow();
      },
    },
    s.handoff,
  );
  const checkOrder = h("button", { type: "button", class: "tool", onClick: () => setView("verify") }, s.check_order);
  const endButton = h("button", { type: "button", class: "tool", onClick: () => setView(state().rated ? "thanks" : "csat") }, s.end_chat);

  // Conversation and its forms
  const log = createMessageLog(s, config.locale);
  const typing = createTypingIndicator(s);
  const chips = createChips(s, (text) => void send(text));
  const alert = h("p", { class: "alert", role: "alert" });
  const retryButton = h(
    "button",
    {
      type: "button",
      class: "tool retry",
      hidden: true,
      onClick: () => {
        store.dispatch({ type: "alert", alert: null });
        start();
      },
    },
    s.retry,
  );
  const composer = createComposer(s, id, (text) => void send(text));
  const verifyForm = createVerifyForm(s, id, {
    verify: (orderNumber, email) => conversation.verify(orderNumber, email),
    verified: () => {
      log.follow();
      setView("chat");
    },
    cancel: () => setView("chat"),
  });
  const csat = createCsat(s, id, {
    rate: async (score, comment) => {
      const rated = await conversation.rate(score, comment);
      if (rated) focusView("thanks");
      return rated;
    },
    dismiss: () => {
      store.dispatch({ type: "csat-dismissed" });
      focusView("chat");
    },
    newChat: () => {
      conversation.startNew();
      focusView("chat");
    },
  });

  const panel = h(
    "div",
    { class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": id("title"), hidden: true },
    h("div", { class: "head" }, avatar, h("div", { class: "head__text" }, title, statusLine), closeButton),
    h("div", { class: "tools" }, handoffButton, checkOrder, endButton),
    log.el,
    typing.el,
    h("div", { class: "foot" }, chips.el, h("div", { class: "alert-row" }, alert, retryButton), composer.el, verifyForm.el, csat.form, csat.thanks),
  );

  const palette = accentPalette(config.accent);
  const host = document.createElement("shopdesk-widget");
  host.setAttribute("data-side", config.side);
  const shadow = host.attachShadow({ mode: "open" });
  const frame = h("div", { class: "sd" }, panel);
  frame.style.setProperty("--sd-accent", palette.accent);
  frame.style.setProperty("--sd-on-accent", palette.onAccent);
  frame.style.setProperty("--sd-ink", palette.ink);
  shadow.append(h("style", null, css), frame);
  root.appendChild(host);

  const showAlert = (shown: Alert | null) => {
    alert.textContent = shown ? alertText(shown, s) : "";
    if (alertTimer) clearTimeout(alertTimer);
    alertTimer = null;
    // "Too fast, wait N s" goes away once the wait is over.
    if (shown?.key === "rate_limited") {
      alertTimer = setTimeout(() => {
        if (state().alert === shown) store.dispatch({ type: "alert", alert: null });
      }, (shown.seconds ?? 30) * 1000);
    }
  };

  const render = (next: ChatState, previous: ChatState | null) => {
    title.textContent = next.assistantName || s.panel_label;
    if (next.assistantAvatar !== previous?.assistantAvatar) {
      if (next.assistantAvatar) avatar.setAttribute("src", next.assistantAvatar);
      else avatar.removeAttribute("src");
      show(avatar, Boolean(next.assistantAvatar));
    }
    statusLine.textContent = teamIsReplying(next) ? s.status_team : s.status_assistant;
    show(endButton, canEndChat(next));
    if (next.busy) handoffButton.setAttribute("aria-disabled", "true");
    else handoffButton.removeAttribute("aria-disabled");
    if (next.unread) launcher?.setAttribute("data-shopdesk-unread", "");
    else launcher?.removeAttribute("data-shopdesk-unread");
    log.update(next);
    typing.update(next);
    chips.update(next);
    composer.update(next);
    verifyForm.update(next);
    csat.update(next);
    show(retryButton, next.sessionFailed);
    if (next.alert !== previous?.alert) showAlert(next.alert);
    // The assistant asked for the order details: the form opens, with focus if the shopper is in the panel.
    if (previous && next.view === "verify" && previous.view !== "verify") focusView("verify");
  };
  cleanups.push(store.subscribe(render));
  render(state(), null);

  const open = () => {
    if (state().opened) return;
    launcher?.setAttribute("aria-expanded", "true");
    root.classList.add("shopdesk-chat--open");
    show(panel, true);
    store.dispatch({ type: "open", open: true });
    log.follow();
    focusView(state().view);
    start();
  };

  const close = (restoreFocus = true) => {
    if (!state().opened) return;
    show(panel, false);
    launcher?.setAttribute("aria-expanded", "false");
    root.classList.remove("shopdesk-chat--open");
    store.dispatch({ type: "open", open: false });
    if (restoreFocus) launcher?.focus();
  };

  const toggle = () => (state().opened ? close() : open());

  const listen = (target: EventTarget, type: string, listener: EventListener) => {
    target.addEventListener(type, listener);
    cleanups.push(() => target.removeEventListener(type, listener));
  };
  listen(root, "keydown", (event) => {
    if ((event as KeyboardEvent).key === "Escape" && state().opened) {
      event.stopPropagation();
      close();
    }
  });
  if (launcher) listen(launcher, "click", toggle);
  listen(window, "storage", (event) => {
    const key = (event as StorageEvent).key;
    if (key === tokens.key || key === null) conversation.followStoredToken();
  });
  listen(window, "online", () => conversation.reconnect());

  return {
    start,
    open,
    close: () => close(),
    toggle,
    isOpen: () => state().opened,
    destroy() {
      conversation.stop();
      for (const cleanup of cleanups.splice(0)) cleanup();
      if (alertTimer) clearTimeout(alertTimer);
      host.remove();
      launcher?.setAttribute("aria-expanded", "false");
    },
  };
}

export function mountWidget(root: HTMLElement, options: MountOptions = {}): WidgetController {
  const widget = createWidget(root, readConfig(root));
  widget.start();
  if (options.openNow) widget.open();
  return widget;
}
