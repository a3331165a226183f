import {
  type ChatMessage,
  type ConversationSnapshot,
  type ConversationStatus,
  MAX_COMMENT_CHARS,
  MAX_MESSAGE_CHARS,
  type StreamEvent,
} from "../app/modules/storefront/chat-contract";
import { ApiError, apiLocale, type ChatApi, createApi } from "./api";
import { accentPalette } from "./colors";
import { h, ICONS, icon, show, vh } from "./dom";
import { LiveConnection } from "./live";
import { currentQuickReplies, isLocalId, type ListedMessage, lastServerId, localMessage, mergeMessages, normalizeBody, removeMessage } from "./messages";
import { renderOrderCard } from "./order-card";
import { createReadReceipts, type ReadReceipts } from "./read-receipts";
import { createTokenStore, type TokenStore } from "./storage";
import { format, parseStrings, type Strings } from "./strings";
import css from "./widget.css";

/** What the block tells the widget (data attributes and the strings JSON on #shopdesk-chat-root). */
export interface WidgetConfig {
  shop: string;
  locale: string;
  base: string;
  greeting: string;
  /** The merchant typed the greeting in the theme editor: it wins over the app's greeting. */
  greetingCustom: boolean;
  /** `request.locale.primary`: false on a translated storefront, where the app's (single-language) greeting would be out of place. */
  localePrimary: boolean | null;
  accent: string;
  side: "left" | "right";
  strings: Strings;
}

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

export function readConfig(root: HTMLElement): WidgetConfig {
  const data = root.dataset;
  const stringsEl = root.querySelector<HTMLScriptElement>("script[data-shopdesk-strings]") ?? document.getElementById("shopdesk-chat-strings");
  const strings = parseStrings(stringsEl?.textContent);
  return {
    shop: data.shopdeskShop || location.hostname,
    locale: data.shopdeskLocale || document.documentElement.lang || "en",
    base: data.shopdeskProxyBase || "/apps/shopdesk",
    greeting: data.shopdeskGreeting || strings.greeting,
    greetingCustom: data.shopdeskGreetingCustom === "true",
    localePrimary: data.shopdeskLocalePrimary === "true" ? true : data.shopdeskLocalePrimary === "false" ? false : null,
    accent: data.shopdeskAccent || "",
    side: data.shopdeskPosition === "bottom-left" || root.classList.contains("shopdesk-chat--left") ? "left" : "right",
    strings,
  };
}

type View = "chat" | "verify" | "csat" | "thanks";

const TEAM_STATUSES: ConversationStatus[] = ["waiting_on_staff"];
const COUNTER_FROM = MAX_MESSAGE_CHARS - 200;
const STAFF_TYPING_MS = 8_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

let idCounter = 0;

export class ChatWidget implements WidgetController {
  private readonly s: Strings;
  private readonly api: ChatApi;
  private readonly store: TokenStore;
  private readonly live: LiveConnection;
  private readonly receipts: ReadReceipts;
  private readonly launcher: HTMLButtonElement | null;
  private readonly host: HTMLElement;
  private readonly ids: (name: string) => string;

  // State
  private token: string | null = null;
  private session: Promise<string> | null = null;
  private messages: ListedMessage[] = [];
  private snapshotQuickReplies: string[] = [];
  private assistantName = "";
  private greeting: string;
  private status: ConversationStatus = "open";
  private handledByHuman = false;
  private rated = false;
  private pending: { id: string; text: string } | null = null;
  private typing = false;
  private sending = false;
  private busyAction = false;
  private view: View = "chat";
  private opened = false;
  private loaded = false;
  private sessionFailed = false;
  private stickToBottom = true;
  private csatDismissed = false;
  private chipsKey = "";
  private readonly verifyPrompted = new Set<string>();
  private staffTypingTimer: ReturnType<typeof setTimeout> | null = null;
  private errorTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly cleanups: (() => void)[] = [];
  private readonly rendered = new Map<string, { message: ListedMessage; el: HTMLElement }>();

  // Elements
  private readonly panel: HTMLElement;
  private readonly title: HTMLElement;
  private readonly statusLine: HTMLElement;
  private readonly endButton: HTMLButtonElement;
  private readonly handoffButton: HTMLButtonElement;
  private readonly log: HTMLElement;
  private readonly welcome: HTMLElement;
  private readonly welcomeText: HTMLElement;
  private pendingEl: HTMLElement | null = null;
  private readonly typingRegion: HTMLElement;
  private readonly chips: HTMLElement;
  private readonly alert: HTMLElement;
  private readonly retryButton: HTMLButtonElement;
  private readonly composer: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly counter: HTMLElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly verifyForm: HTMLFormElement;
  private readonly orderInput: HTMLInputElement;
  private readonly emailInput: HTMLInputElement;
  private readonly orderError: HTMLElement;
  private readonly emailError: HTMLElement;
  private readonly verifyAlert: HTMLElement;
  private readonly verifySubmit: HTMLButtonElement;
  private readonly csatForm: HTMLFormElement;
  private readonly csatAlert: HTMLElement;
  private readonly csatComment: HTMLTextAreaElement;
  private readonly csatSubmit: HTMLButtonElement;
  private readonly thanks: HTMLElement;
  private readonly thanksText: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly config: WidgetConfig,
    deps: { api?: ChatApi; store?: TokenStore } = {},
  ) {
    const s = config.strings;
    this.s = s;
    this.api = deps.api ?? createApi(config.base);
    this.store = deps.store ?? createTokenStore(config.shop, () => window.localStorage);
    this.greeting = config.greeting;
    this.launcher = root.querySelector<HTMLButtonElement>(".shopdesk-launcher");
    const prefix = `sd${++idCounter}`;
    this.ids = (name) => `${prefix}-${name}`;
    const id = this.ids;
    this.live = new LiveConnection({
      api: this.api,
      token: () => this.token,
      lastId: () => lastServerId(this.messages),
      onEvent: (event) => this.handleEvent(event, "live"),
      onCatchUp: (messages, status) => {
        this.addMessages(messages);
        this.setStatus(status);
        this.render();
      },
      onGone: () => this.restart(),
    });
    this.receipts = createReadReceipts({
      view: () => ({ open: this.opened, messages: this.messages }),
      send: (upTo) => (this.token ? this.api.read(this.token, upTo) : Promise.resolve()),
    });

    // Header
    this.title = h("h2", { id: id("title"), class: "title" }, s.panel_label);
    this.statusLine = h("p", { class: "status" }, s.status_assistant);
    const closeButton = h("button", { type: "button", class: "close", "aria-label": s.close, onClick: () => this.close() }, icon(ICONS.close));
    this.handoffButton = h("button", { type: "button", class: "tool", onClick: () => void this.requestHandoff() }, s.handoff);
    const checkOrder = h("button", { type: "button", class: "tool", onClick: () => this.setView("verify", true) }, s.check_order);
    this.endButton = h("button", { type: "button", class: "tool", onClick: () => this.setView(this.rated ? "thanks" : "csat", true) }, s.end_chat);

    // Conversation
    this.welcomeText = h("div", { class: "bubble" });
    this.welcome = h("div", { class: "msg msg--assistant msg--welcome" }, this.welcomeText);
    this.log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": s.messages_label, tabindex: "0" }, this.welcome);
    this.log.addEventListener("scroll", () => {
      this.stickToBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 48;
    });
    this.typingRegion = h("div", { class: "typing-region", role: "status" });
    this.chips = h("div", { class: "chips", role: "group", "aria-label": s.suggestions_label });
    this.alert = h("p", { class: "alert", role: "alert" });
    this.retryButton = h("button", { type: "button", class: "tool retry", hidden: true, onClick: () => this.retrySession() }, s.retry);

    // Composer
    this.input = h("textarea", {
      id: id("input"),
      class: "input",
      name: "message",
      rows: 1,
      maxlength: MAX_MESSAGE_CHARS,
      placeholder: s.composer_placeholder,
      "aria-describedby": id("count"),
      autocomplete: "off",
    });
    this.counter = h("p", { id: id("count"), class: "count", hidden: true });
    this.sendButton = h("button", { type: "submit", class: "send", "aria-label": s.send }, icon(ICONS.send));
    this.composer = h(
      "form",
      { class: "composer", novalidate: true },
      h("label", { for: id("input"), class: "vh" }, s.composer_label),
      h("div", { class: "composer__row" }, this.input, this.sendButton),
      this.counter,
    );
    this.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.sendFromComposer();
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        void this.sendFromComposer();
      }
    });
    this.input.addEventListener("input", () => this.updateComposer());

    // Order verification
    this.orderInput = h("input", {
      id: id("order"),
      class: "field__input",
      name: "orderNumber",
      type: "text",
      autocomplete: "off",
      inputmode: "text",
      maxlength: 40,
      "aria-describedby": `${id("order-hint")} ${id("order-error")}`,
    });
    this.emailInput = h("input", {
      id: id("email"),
      class: "field__input",
      name: "email",
      type: "email",
      autocomplete: "email",
      maxlength: 254,
      "aria-describedby": id("email-error"),
    });
    this.orderError = h("p", { id: id("order-error"), class: "field__error" });
    this.emailError = h("p", { id: id("email-error"), class: "field__error" });
    this.verifyAlert = h("p", { class: "form-alert", role: "alert" });
    this.verifySubmit = h("button", { type: "submit", class: "primary" }, s.verify_submit);
    this.verifyForm = h(
      "form",
      { class: "card-form", novalidate: true, "aria-labelledby": id("verify-title") },
      h("h3", { id: id("verify-title"), class: "form-title" }, s.verify_title),
      h("p", { class: "form-intro" }, s.verify_intro),
      h(
        "div",
        { class: "field" },
        h("label", { for: id("order"), class: "field__label" }, s.verify_order_number),
        h("p", { id: id("order-hint"), class: "field__hint" }, s.verify_order_hint),
        this.orderInput,
        this.orderError,
      ),
      h("div", { class: "field" }, h("label", { for: id("email"), class: "field__label" }, s.verify_email), this.emailInput, this.emailError),
      this.verifyAlert,
      h("div", { class: "actions" }, this.verifySubmit, h("button", { type: "button", class: "secondary", onClick: () => this.setView("chat", true) }, s.cancel)),
    );
    this.verifyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submitVerify();
    });

    // Satisfaction
    const scores = h("div", { class: "scores", role: "radiogroup", "aria-labelledby": id("csat-title") });
    for (let score = 1; score <= 5; score++) {
      const label = s[`csat_score_${score}` as "csat_score_1"];
      scores.appendChild(
        h(
          "label",
          { class: "score", title: label },
          h("input", { type: "radio", name: "score", value: score, class: "score__input" }),
          h("span", { class: "score__num", "aria-hidden": "true" }, String(score)),
          vh(`${score} – ${label}`),
        ),
      );
    }
    this.csatComment = h("textarea", { id: id("comment"), class: "field__input", name: "comment", rows: 2, maxlength: MAX_COMMENT_CHARS });
    this.csatAlert = h("p", { class: "form-alert", role: "alert" });
    this.csatSubmit = h("button", { type: "submit", class: "primary" }, s.csat_submit);
    this.csatForm = h(
      "form",
      { class: "card-form", novalidate: true, "aria-labelledby": id("csat-title") },
      h("h3", { id: id("csat-title"), class: "form-title" }, s.csat_title),
      scores,
      h("div", { class: "scale", "aria-hidden": "true" }, h("span", null, s.csat_score_1), h("span", null, s.csat_score_5)),
      h("div", { class: "field" }, h("label", { for: id("comment"), class: "field__label" }, s.csat_comment), this.csatComment),
      this.csatAlert,
      h("div", { class: "actions" }, this.csatSubmit, h("button", { type: "button", class: "secondary", onClick: () => this.dismissCsat() }, s.csat_skip)),
    );
    this.csatForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submitRating();
    });
    this.thanksText = h("p", { class: "thanks__text", tabindex: "-1" }, s.csat_thanks);
    this.thanks = h(
      "div",
      { class: "thanks" },
      this.thanksText,
      h("button", { type: "button", class: "primary", onClick: () => void this.startNewChat() }, s.new_chat),
    );

    // Panel
    this.panel = h(
      "div",
      { class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": id("title"), hidden: true },
      h("div", { class: "head" }, h("div", { class: "head__text" }, this.title, this.statusLine), closeButton),
      h("div", { class: "tools" }, this.handoffButton, checkOrder, this.endButton),
      this.log,
      this.typingRegion,
      h("div", { class: "foot" }, this.chips, h("div", { class: "alert-row" }, this.alert, this.retryButton), this.composer, this.verifyForm, this.csatForm, this.thanks),
    );

    const palette = accentPalette(config.accent);
    this.host = document.createElement("shopdesk-widget");
    this.host.setAttribute("data-side", config.side);
    const shadow = this.host.attachShadow({ mode: "open" });
    const frame = h("div", { class: "sd" }, this.panel);
    frame.style.setProperty("--sd-accent", palette.accent);
    frame.style.setProperty("--sd-on-accent", palette.onAccent);
    frame.style.setProperty("--sd-ink", palette.ink);
    shadow.append(h("style", null, css), frame);
    root.appendChild(this.host);

    this.listen(root, "keydown", (event) => {
      if ((event as KeyboardEvent).key === "Escape" && this.opened) {
        event.stopPropagation();
        this.close();
      }
    });
    if (this.launcher) this.listen(this.launcher, "click", () => this.toggle());
    this.listen(window, "storage", (event) => this.onStorage(event as StorageEvent));
    this.listen(window, "online", () => this.live.skipWait());

    this.render();
  }

  private listen(target: EventTarget, type: string, listener: EventListener) {
    target.addEventListener(type, listener);
    this.cleanups.push(() => target.removeEventListener(type, listener));
  }

  // -------------------------------------------------------------------------
  // Public API
  // -------------------------------------------------------------------------

  /** Resumes the stored conversation (or starts one) and renders its history. */
  start() {
    void this.ensureSession().catch(() => {});
  }

  open() {
    if (this.opened) return;
    this.opened = true;
    this.launcher?.setAttribute("aria-expanded", "true");
    this.launcher?.removeAttribute("data-shopdesk-unread");
    this.root.classList.add("shopdesk-chat--open");
    show(this.panel, true);
    this.render();
    this.stickToBottom = true;
    this.scrollToBottom();
    this.focusView();
    this.start();
    this.updateLive();
  }

  close(restoreFocus = true) {
    if (!this.opened) return;
    this.opened = false;
    show(this.panel, false);
    this.launcher?.setAttribute("aria-expanded", "false");
    this.root.classList.remove("shopdesk-chat--open");
    if (restoreFocus) this.launcher?.focus();
    this.updateLive();
  }

  toggle() {
    if (this.opened) this.close();
    else this.open();
  }

  isOpen() {
    return this.opened;
  }

  destroy() {
    this.live.stop();
    this.receipts.stop();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    if (this.staffTypingTimer) clearTimeout(this.staffTypingTimer);
    if (this.errorTimer) clearTimeout(this.errorTimer);
    this.host.remove();
    this.launcher?.setAttribute("aria-expanded", "false");
  }

  // -------------------------------------------------------------------------
  // Session
  // -------------------------------------------------------------------------

  private ensureSession(): Promise<string> {
    if (this.token && this.loaded) return Promise.resolve(this.token);
    if (!this.session) {
      const attempt = this.openSession(this.store.get());
      this.session = attempt;
      attempt.catch(() => {
        if (this.session === attempt) this.session = null;
      });
    }
    return this.session;
  }

  private async openSession(previous: string | null): Promise<string> {
    this.sessionFailed = false;
    this.log.setAttribute("aria-busy", "true");
    try {
      const snapshot = await this.api.start(previous, apiLocale(this.config.locale));
      this.applySnapshot(snapshot);
      return snapshot.token;
    } catch (error) {
      this.sessionFailed = true;
      this.fail(error, this.s.error);
      this.render();
      throw error;
    } finally {
      this.log.removeAttribute("aria-busy");
    }
  }

  private applySnapshot(snapshot: ConversationSnapshot) {
    const switched = snapshot.token !== this.token;
    this.token = snapshot.token;
    if (this.store.get() !== snapshot.token) this.store.set(snapshot.token);
    this.loaded = true;
    this.assistantName = snapshot.assistant?.name || "";
    // The app's greeting (set in Shopdesk's admin) unless the merchant wrote one in the theme editor, or the
    // storefront shows a translation (then the theme's translated greeting reads better).
    if (!this.config.greetingCustom && this.config.localePrimary !== false && snapshot.assistant?.greeting) this.greeting = snapshot.assistant.greeting;
    this.snapshotQuickReplies = Array.isArray(snapshot.quickReplies) ? snapshot.quickReplies : [];
    this.handledByHuman = snapshot.handledByHuman;
    this.rated = snapshot.rated;
    const locals = switched ? [] : this.messages.filter((message) => message.local);
    this.messages = mergeMessages(locals, Array.isArray(snapshot.messages) ? snapshot.messages : []);
    if (switched) {
      this.pending = null;
      this.csatDismissed = false;
      if (this.view !== "chat") this.view = "chat";
    }
    // Whatever was prompted before this page load has been seen: only new prompts open the form by themselves.
    for (const message of this.messages) if (message.needsVerification) this.verifyPrompted.add(message.id);
    this.clearError();
    this.setStatus(snapshot.status);
    this.render();
    this.scrollToBottom();
    this.updateLive();
  }

  private retrySession() {
    this.clearError();
    this.render();
    void this.ensureSession().catch(() => {});
  }

  /** The token stopped working (expired or closed conversation): start a fresh one. */
  private restart(): Promise<string> {
    this.live.stop();
    this.token = null;
    this.loaded = false;
    this.store.set(null);
    const attempt = this.openSession(null);
    this.session = attempt;
    attempt.catch(() => {
      if (this.session === attempt) this.session = null;
    });
    return attempt;
  }

  private onStorage(event: StorageEvent) {
    if (event.key !== this.store.key && event.key !== null) return;
    const next = this.store.get();
    if (next === this.token) return;
    // Another tab started or switched the conversation: follow it.
    this.live.stop();
    this.token = null;
    this.loaded = false;
    this.session = null;
    this.messages = [];
    this.pending = null;
    this.rendered.clear();
    for (const el of Array.from(this.log.children)) if (el !== this.welcome) el.remove();
    this.pendingEl = null;
    if (next) this.start();
    else this.render();
  }

  private updateLive() {
    const wanted = Boolean(this.token && this.loaded && (this.opened || this.messages.length > 0));
    if (wanted) this.live.start();
    else this.live.stop();
  }

  // -------------------------------------------------------------------------
  // Messages and events
  // -------------------------------------------------------------------------

  private addMessages(messages: ChatMessage[]) {
    if (messages.length === 0) return;
    const hadIds = new Set(this.messages.map((message) => message.id));
    this.messages = mergeMessages(this.messages, messages);
    for (const message of messages) {
      if (this.pending && message.id === this.pending.id) this.pending = null;
      if (message.author === "staff") {
        this.handledByHuman = true;
        this.setTyping(false);
      }
      if (message.handoff && this.status !== "waiting_on_staff") this.setStatus("waiting_on_staff");
      const isNew = !hadIds.has(message.id);
      if (isNew && message.author !== "shopper" && !this.opened) this.launcher?.setAttribute("data-shopdesk-unread", "");
      if (isNew && message.needsVerification && !this.verifyPrompted.has(message.id)) {
        this.verifyPrompted.add(message.id);
        if (this.view === "chat" && message.id === lastServerId(this.messages)) this.setView("verify", this.opened);
      }
    }
  }

  private handleEvent(event: StreamEvent, source: "reply" | "live") {
    switch (event.type) {
      case "message":
        this.addMessages([event.message]);
        break;
      case "delta": {
        if (this.messages.some((message) => message.id === event.messageId)) return;
        if (!this.pending || this.pending.id !== event.messageId) this.pending = { id: event.messageId, text: "" };
        this.pending.text += event.text;
        this.typing = false;
        break;
      }
      case "reset":
        if (this.pending?.id === event.messageId) this.pending.text = "";
        this.typing = true;
        break;
      case "handoff":
        this.setStatus(event.status);
        break;
      case "typing":
        if (source === "reply" || event.author === "staff") this.setTyping(true, source === "live");
        break;
      case "done":
        if (event.message) this.addMessages([event.message]);
        this.pending = null;
        this.typing = false;
        this.setStatus(event.status);
        break;
      case "error":
        this.pending = null;
        this.typing = false;
        this.showError(this.s.reply_failed);
        break;
    }
    this.render();
  }

  private setTyping(on: boolean, timed = false) {
    this.typing = on;
    if (this.staffTypingTimer) clearTimeout(this.staffTypingTimer);
    this.staffTypingTimer = null;
    if (on && timed) {
      this.staffTypingTimer = setTimeout(() => {
        this.typing = false;
        this.render();
      }, STAFF_TYPING_MS);
    }
  }

  private setStatus(status: ConversationStatus) {
    if (!status) return;
    this.status = status;
    if (status === "resolved" && this.handledByHuman && !this.rated && !this.csatDismissed && this.view === "chat" && this.messages.length > 0) {
      this.setView("csat", false);
    }
  }

  // -------------------------------------------------------------------------
  // Actions
  // -------------------------------------------------------------------------

  private async sendFromComposer() {
    const text = normalizeBody(this.input.value);
    if (!text || this.sending) return;
    this.input.value = "";
    this.updateComposer();
    await this.send(text);
  }

  async send(text: string) {
    if (this.sending) return;
    const body = normalizeBody(text).slice(0, MAX_MESSAGE_CHARS);
    if (!body) return;
    this.sending = true;
    this.clearError();
    const local = localMessage(body);
    this.messages = this.messages.concat(local);
    this.typing = true;
    this.stickToBottom = true;
    this.render();
    let accepted = false;
    let finished = false;
    const attempt = async (token: string) => {
      await this.api.send(
        token,
        body,
        (event) => {
          accepted = true;
          if (event.type === "done" || event.type === "error") finished = true;
          this.handleEvent(event, "reply");
        },
        undefined,
        () => {
          accepted = true;
        },
      );
    };
    try {
      const token = await this.ensureSession();
      try {
        await attempt(token);
      } catch (error) {
        // The conversation expired or was closed meanwhile: start a new one and send there.
        if (!accepted && error instanceof ApiError && [401, 404, 409].includes(error.status)) await attempt(await this.restart());
        else throw error;
      }
      if (!finished) await this.catchUp();
    } catch (error) {
      if (accepted) {
        // The message was stored; only the reply stream broke. Fetch what the server has.
        await this.catchUp().catch(() => this.fail(error, this.s.send_failed));
      } else {
        this.messages = removeMessage(this.messages, local.id);
        if (!this.input.value) {
          this.input.value = body;
          this.updateComposer();
        }
        this.fail(error, this.s.send_failed);
      }
    } finally {
      this.sending = false;
      this.typing = false;
      this.pending = null;
      this.render();
      this.updateLive();
    }
  }

  private async catchUp() {
    if (!this.token) return;
    const { messages, status } = await this.api.messagesAfter(this.token, lastServerId(this.messages));
    this.addMessages(messages);
    this.setStatus(status);
  }

  private async requestHandoff() {
    if (this.busyAction) return;
    this.busyAction = true;
    this.handoffButton.setAttribute("aria-disabled", "true");
    this.clearError();
    try {
      const token = await this.ensureSession();
      const result = await this.api.handoff(token);
      this.addMessages([result.message]);
      this.setStatus(result.status);
      this.stickToBottom = true;
    } catch (error) {
      this.fail(error, this.s.send_failed);
    } finally {
      this.busyAction = false;
      this.handoffButton.removeAttribute("aria-disabled");
      this.render();
      this.updateLive();
    }
  }

  private async submitVerify() {
    if (this.busyAction) return;
    const orderNumber = this.orderInput.value.trim();
    const email = this.emailInput.value.trim();
    const orderProblem = !orderNumber || !/\d/.test(orderNumber) ? this.s.verify_order_required : "";
    const emailProblem = !EMAIL.test(email) ? this.s.verify_email_invalid : "";
    this.setFieldError(this.orderInput, this.orderError, orderProblem);
    this.setFieldError(this.emailInput, this.emailError, emailProblem);
    this.verifyAlert.textContent = "";
    if (orderProblem || emailProblem) {
      (orderProblem ? this.orderInput : this.emailInput).focus();
      return;
    }
    this.busyAction = true;
    this.verifySubmit.setAttribute("aria-disabled", "true");
    try {
      const token = await this.ensureSession();
      const result = await this.api.verify(token, orderNumber, email);
      this.addMessages([result.message]);
      this.orderInput.value = "";
      this.emailInput.value = "";
      this.stickToBottom = true;
      this.setView("chat", true);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && (error.field === "orderNumber" || error.field === "email")) {
        const orderField = error.field === "orderNumber";
        this.setFieldError(orderField ? this.orderInput : this.emailInput, orderField ? this.orderError : this.emailError, orderField ? this.s.verify_order_required : this.s.verify_email_invalid);
        (orderField ? this.orderInput : this.emailInput).focus();
      } else if (error instanceof ApiError && error.status === 422) {
        this.verifyAlert.textContent = this.s.verify_failed;
      } else if (error instanceof ApiError && error.status === 429 && !error.retryAfter) {
        this.verifyAlert.textContent = this.s.verify_locked;
      } else {
        this.verifyAlert.textContent = this.errorText(error, this.s.send_failed);
      }
    } finally {
      this.busyAction = false;
      this.verifySubmit.removeAttribute("aria-disabled");
      this.render();
      this.updateLive();
    }
  }

  private setFieldError(input: HTMLInputElement, errorEl: HTMLElement, problem: string) {
    errorEl.textContent = problem;
    if (problem) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  private async submitRating() {
    if (this.busyAction) return;
    const checked = this.csatForm.querySelector<HTMLInputElement>("input[name=score]:checked");
    const score = checked ? Number(checked.value) : 0;
    if (!score) {
      this.csatAlert.textContent = this.s.csat_required;
      this.csatForm.querySelector<HTMLInputElement>("input[name=score]")?.focus();
      return;
    }
    this.csatAlert.textContent = "";
    this.busyAction = true;
    this.csatSubmit.setAttribute("aria-disabled", "true");
    try {
      const token = await this.ensureSession();
      const comment = this.csatComment.value.trim().slice(0, MAX_COMMENT_CHARS);
      await this.api.rate(token, score, comment || undefined);
      this.rated = true;
      this.csatComment.value = "";
      if (checked) checked.checked = false;
      this.setView("thanks", true);
    } catch (error) {
      this.csatAlert.textContent = this.errorText(error, this.s.send_failed);
    } finally {
      this.busyAction = false;
      this.csatSubmit.removeAttribute("aria-disabled");
      this.render();
    }
  }

  private dismissCsat() {
    this.csatDismissed = true;
    this.csatAlert.textContent = "";
    this.setView("chat", true);
  }

  private async startNewChat() {
    this.live.stop();
    this.messages = [];
    this.pending = null;
    this.rated = false;
    this.handledByHuman = false;
    this.csatDismissed = false;
    this.token = null;
    this.loaded = false;
    this.store.set(null);
    this.setView("chat", true);
    this.session = this.openSession(null);
    this.session.catch(() => {
      this.session = null;
    });
  }

  // -------------------------------------------------------------------------
  // Errors
  // -------------------------------------------------------------------------

  private errorText(error: unknown, fallback: string): string {
    if (error instanceof ApiError && error.status === 429) {
      return format(this.s.rate_limited, { seconds: error.retryAfter ?? 30 });
    }
    if (error instanceof TypeError || (typeof navigator !== "undefined" && navigator.onLine === false)) return this.s.offline;
    return fallback;
  }

  private showError(text: string, clearAfterSeconds?: number) {
    this.alert.textContent = text;
    if (this.errorTimer) clearTimeout(this.errorTimer);
    this.errorTimer = clearAfterSeconds ? setTimeout(() => this.clearError(), clearAfterSeconds * 1000) : null;
  }

  private clearError() {
    this.alert.textContent = "";
    if (this.errorTimer) clearTimeout(this.errorTimer);
    this.errorTimer = null;
  }

  /** The error's text, shown in the panel's alert; a 429 notice goes away when the wait is over. */
  private fail(error: unknown, fallback: string) {
    this.showError(this.errorText(error, fallback), error instanceof ApiError && error.status === 429 ? (error.retryAfter ?? 30) : undefined);
  }

  // -------------------------------------------------------------------------
  // Rendering
  // -------------------------------------------------------------------------

  private setView(view: View, focus: boolean) {
    this.view = view;
    this.render();
    if (focus) this.focusView();
  }

  private focusView() {
    if (!this.opened) return;
    if (this.view === "verify") this.orderInput.focus();
    else if (this.view === "csat") this.csatForm.querySelector<HTMLInputElement>("input[name=score]")?.focus();
    else if (this.view === "thanks") this.thanksText.focus();
    else this.input.focus();
  }

  private updateComposer() {
    const length = this.input.value.length;
    const left = MAX_MESSAGE_CHARS - length;
    show(this.counter, length >= COUNTER_FROM);
    this.counter.textContent = length >= COUNTER_FROM ? format(this.s.chars_left, { remaining: left }) : "";
    this.counter.classList.toggle("count--limit", left <= 0);
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 132)}px`;
  }

  private render() {
    const team = this.handledByHuman || TEAM_STATUSES.includes(this.status);
    this.title.textContent = this.assistantName || this.s.panel_label;
    this.statusLine.textContent = team ? this.s.status_team : this.s.status_assistant;
    show(this.endButton, this.messages.some((message) => message.author === "shopper" && !message.local));
    this.welcomeText.textContent = this.greeting;

    this.renderLog();
    this.renderTyping();

    const replies = this.messages.some((message) => message.author === "shopper") ? currentQuickReplies(this.messages) : this.snapshotQuickReplies;
    const showChips = this.view === "chat" && !this.sending && !this.pending && replies.length > 0;
    const chipsKey = showChips ? replies.slice(0, 6).join("\n") : "";
    if (chipsKey !== this.chipsKey) {
      // Rebuilt only when the replies change, so a focused chip keeps its focus across renders.
      this.chipsKey = chipsKey;
      this.chips.textContent = "";
      if (showChips) {
        for (const text of replies.slice(0, 6)) {
          this.chips.appendChild(h("button", { type: "button", class: "chip", onClick: () => void this.send(text) }, text));
        }
      }
    }
    show(this.chips, showChips);

    show(this.composer, this.view === "chat");
    show(this.verifyForm, this.view === "verify");
    show(this.csatForm, this.view === "csat");
    show(this.thanks, this.view === "thanks");
    show(this.retryButton, this.sessionFailed);
    if (this.sending) this.sendButton.setAttribute("aria-disabled", "true");
    else this.sendButton.removeAttribute("aria-disabled");
    this.scrollToBottom();
    this.receipts.check();
  }

  private renderTyping() {
    const visible = this.typing && !this.pending?.text;
    const current = this.typingRegion.firstChild;
    if (visible && !current) {
      this.typingRegion.appendChild(
        h("div", { class: "typing" }, h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")), vh(this.s.typing)),
      );
    } else if (!visible && current) {
      this.typingRegion.textContent = "";
    }
  }

  private renderLog() {
    const seen = new Set<string>();
    let cursor: ChildNode | null = this.welcome.nextSibling;
    for (const message of this.messages) {
      seen.add(message.id);
      let entry = this.rendered.get(message.id);
      if (entry && entry.message !== message && sameContent(entry.message, message)) entry.message = message;
      if (!entry || entry.message !== message) {
        const reused = !entry && !message.local && message.author === "shopper" ? this.takeLocalElement(message) : null;
        const el = reused ?? this.messageElement(message);
        if (entry && entry.el !== el) {
          // The same message with new content (rare): swap it in place.
          if (cursor === entry.el) cursor = el;
          entry.el.replaceWith(el);
        }
        entry = { message, el };
        this.rendered.set(message.id, entry);
      }
      if (entry.el !== cursor) this.log.insertBefore(entry.el, cursor);
      cursor = entry.el.nextSibling;
    }
    for (const [id, entry] of this.rendered) {
      if (!seen.has(id)) {
        entry.el.remove();
        this.rendered.delete(id);
      }
    }
    // The reply being streamed: hidden from screen readers until it is final (then it is announced once).
    if (this.pending?.text) {
      if (!this.pendingEl) {
        this.pendingEl = h("div", { class: "msg msg--assistant msg--streaming", "aria-hidden": "true" }, h("div", { class: "bubble" }));
      }
      (this.pendingEl.firstChild as HTMLElement).textContent = this.pending.text;
      if (this.pendingEl !== this.log.lastChild) this.log.appendChild(this.pendingEl);
    } else if (this.pendingEl) {
      this.pendingEl.remove();
      this.pendingEl = null;
    }
  }

  /** This tab's shopper message came back from the server: keep its element (no second announcement). */
  private takeLocalElement(message: ChatMessage): HTMLElement | null {
    const body = normalizeBody(message.body);
    for (const [id, entry] of this.rendered) {
      if (isLocalId(id) && entry.message.local && normalizeBody(entry.message.body) === body && !this.messages.some((item) => item.id === id)) {
        this.rendered.delete(id);
        entry.el.classList.remove("msg--sending");
        entry.el.setAttribute("data-message-id", message.id);
        return entry.el;
      }
    }
    return null;
  }

  private messageElement(message: ListedMessage): HTMLElement {
    const s = this.s;
    const author = message.author;
    let who: HTMLElement | null = null;
    if (author === "shopper") who = vh(`${s.you}: `);
    else if (author === "assistant") who = vh(`${this.assistantName || s.panel_label}: `);
    else if (author === "staff") who = h("p", { class: "who" }, message.authorName || s.team_member);
    const titles = (Array.isArray(message.citations) ? message.citations : []).map((citation) => citation?.title).filter((title) => typeof title === "string" && title);
    const citations = titles.filter((title, index) => titles.indexOf(title) === index);
    return h(
      "div",
      { class: `msg msg--${author}${message.local ? " msg--sending" : ""}`, "data-author": author, "data-message-id": message.id },
      who,
      h("div", { class: "bubble" }, message.body),
      ...citations.map((title) => h("p", { class: "cite" }, format(s.source, { title }))),
      message.orderCard ? renderOrderCard(message.orderCard, s, this.config.locale) : null,
    );
  }

  private scrollToBottom() {
    if (!this.opened || !this.stickToBottom) return;
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function sameContent(a: ListedMessage, b: ListedMessage): boolean {
  return Boolean(a.local) === Boolean(b.local) && JSON.stringify(a) === JSON.stringify(b);
}

export function mountWidget(root: HTMLElement, options: MountOptions = {}): WidgetController {
  const widget = new ChatWidget(root, readConfig(root));
  widget.start();
  if (options.openNow) widget.open();
  return widget;
}
