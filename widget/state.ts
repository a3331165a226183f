import type { ChatMessage, ConversationSnapshot, ConversationStatus, StreamEvent } from "../app/modules/storefront/chat-contract";
import { ApiError } from "./api";
import { currentQuickReplies, type ListedMessage, lastServerId, mergeMessages } from "./messages";
import { format, type StringKey, type Strings } from "./strings";

/**
 * The widget's conversation state: one plain object, changed only by `reduce` (pure, so the rules — which view
 * shows, when the rating form opens, what "typing" means — are tested without a browser), held by a tiny store
 * the views subscribe to.
 */

export type View = "chat" | "verify" | "csat" | "thanks";

/** A notice in the panel's alert line: a string key, with the seconds to wait for `rate_limited`. */
export interface Alert {
  key: Extract<StringKey, "error" | "send_failed" | "reply_failed" | "offline" | "rate_limited">;
  seconds?: number;
}

export interface ChatState {
  /** The merchant typed a greeting in the theme editor: it stays, whatever the server says. */
  readonly customGreeting: boolean;
  greeting: string;
  assistantName: string;
  /** The merchant's avatar image (https only), or "". */
  assistantAvatar: string;
  token: string | null;
  /** The token's conversation has been read from the server. */
  loaded: boolean;
  connecting: boolean;
  sessionFailed: boolean;
  opened: boolean;
  view: View;
  status: ConversationStatus;
  /** A person has taken over: replies come from staff. */
  handledByHuman: boolean;
  rated: boolean;
  csatDismissed: boolean;
  messages: ListedMessage[];
  /** Starter chips, shown until the shopper writes. */
  starterReplies: string[];
  /** The reply being streamed, until its final message arrives. */
  pending: { id: string; text: string } | null;
  typing: boolean;
  sending: boolean;
  /** A handoff, verification or rating request is under way. */
  busy: boolean;
  /** Something from the shop arrived while the panel was closed. */
  unread: boolean;
  /** Messages whose verification prompt has been handled (opened the form, or seen before this page load). */
  verifyPrompted: readonly string[];
  alert: Alert | null;
}

export function initialState(greeting: string, customGreeting: boolean): ChatState {
  return {
    customGreeting,
    greeting,
    assistantName: "",
    assistantAvatar: "",
    token: null,
    loaded: false,
    connecting: false,
    sessionFailed: false,
    opened: false,
    view: "chat",
    status: "open",
    handledByHuman: false,
    rated: false,
    csatDismissed: false,
    messages: [],
    starterReplies: [],
    pending: null,
    typing: false,
    sending: false,
    busy: false,
    unread: false,
    verifyPrompted: [],
    alert: null,
  };
}

export type Action =
  | { type: "open"; open: boolean }
  | { type: "connecting" }
  | { type: "connect-failed"; alert: Alert }
  | { type: "snapshot"; snapshot: ConversationSnapshot }
  /** The token stopped working: a new conversation is on its way (what is on screen stays until it arrives). */
  | { type: "token-dropped" }
  /** Another tab switched conversations: follow it from scratch. */
  | { type: "cleared" }
  /** "Start a new chat" after rating. */
  | { type: "new-chat" }
  | { type: "received"; messages: ChatMessage[]; status?: ConversationStatus }
  | { type: "stream"; event: StreamEvent; source: "reply" | "live" }
  | { type: "send-start"; local: ListedMessage }
  | { type: "send-unsent"; localId: string }
  | { type: "send-end" }
  | { type: "typing-timeout" }
  | { type: "busy"; busy: boolean }
  | { type: "view"; view: View }
  | { type: "csat-dismissed" }
  | { type: "rated" }
  | { type: "alert"; alert: Alert | null };

export function reduce(state: ChatState, action: Action): ChatState {
  switch (action.type) {
    case "open":
      return { ...state, opened: action.open, unread: action.open ? false : state.unread };
    case "connecting":
      return { ...state, connecting: true, sessionFailed: false };
    case "connect-failed":
      return { ...state, connecting: false, sessionFailed: true, alert: action.alert };
    case "snapshot":
      return applySnapshot(state, action.snapshot);
    case "token-dropped":
      return { ...state, token: null, loaded: false };
    case "cleared":
      return { ...state, token: null, loaded: false, messages: [], pending: null };
    case "new-chat":
      return { ...state, token: null, loaded: false, messages: [], pending: null, rated: false, handledByHuman: false, csatDismissed: false, view: "chat" };
    case "received":
      return withStatus(addMessages(state, action.messages), action.status);
    case "stream":
      return applyEvent(state, action.event, action.source);
    case "send-start":
      return { ...state, sending: true, typing: true, alert: null, messages: state.messages.concat(action.local) };
    case "send-unsent":
      return { ...state, messages: state.messages.filter((message) => message.id !== action.localId) };
    case "send-end":
      return { ...state, sending: false, typing: false, pending: null };
    case "typing-timeout":
      return { ...state, typing: false };
    case "busy":
      return { ...state, busy: action.busy };
    case "view":
      return { ...state, view: action.view };
    case "csat-dismissed":
      return { ...state, csatDismissed: true, view: "chat" };
    case "rated":
      return { ...state, rated: true, view: "thanks" };
    case "alert":
      return { ...state, alert: action.alert };
  }
}

/** An image address the widget may load: https only, else "". */
function httpsUrl(value: unknown): string {
  if (typeof value !== "string") return "";
  try {
    return new URL(value).protocol === "https:" ? value : "";
  } catch {
    return "";
  }
}

function applySnapshot(state: ChatState, snapshot: ConversationSnapshot): ChatState {
  const switched = snapshot.token !== state.token;
  // Messages this tab is still sending belong to the conversation they were sent in.
  const locals = switched ? [] : state.messages.filter((message) => message.local);
  const messages = mergeMessages(locals, Array.isArray(snapshot.messages) ? snapshot.messages : []);
  const next: ChatState = {
    ...state,
    token: snapshot.token,
    loaded: true,
    connecting: false,
    sessionFailed: false,
    alert: null,
    assistantName: snapshot.assistant?.name || "",
    assistantAvatar: httpsUrl(snapshot.assistant?.avatarUrl),
    // The server's greeting is in the shopper's language; a greeting typed in the theme editor wins.
    greeting: !state.customGreeting && snapshot.assistant?.greeting ? snapshot.assistant.greeting : state.greeting,
    starterReplies: Array.isArray(snapshot.quickReplies) ? snapshot.quickReplies.filter((text) => typeof text === "string" && text.trim()) : [],
    handledByHuman: snapshot.handledByHuman,
    rated: snapshot.rated,
    messages,
    // Whatever was prompted before this page load has been seen: only new prompts open the form by themselves.
    verifyPrompted: messages.filter((message) => message.needsVerification).map((message) => message.id),
  };
  if (switched) {
    next.pending = null;
    next.csatDismissed = false;
    next.view = "chat";
  }
  return withStatus(next, snapshot.status);
}

function addMessages(state: ChatState, incoming: ChatMessage[]): ChatState {
  if (incoming.length === 0) return state;
  const known = new Set(state.messages.map((message) => message.id));
  let next: ChatState = { ...state, messages: mergeMessages(state.messages, incoming) };
  for (const message of incoming) {
    if (next.pending && message.id === next.pending.id) next.pending = null;
    if (message.author === "staff") {
      next.handledByHuman = true;
      next.typing = false;
    }
    if (message.handoff && next.status !== "waiting_on_staff") next = withStatus(next, "waiting_on_staff");
    const isNew = !known.has(message.id);
    if (isNew && message.author !== "shopper" && !next.opened) next.unread = true;
    if (isNew && message.needsVerification && !next.verifyPrompted.includes(message.id)) {
      next.verifyPrompted = next.verifyPrompted.concat(message.id);
      // Only the newest message asks: an older prompt arriving late does not pull the shopper away.
      if (next.view === "chat" && message.id === lastServerId(next.messages)) next.view = "verify";
    }
  }
  return next;
}

function applyEvent(state: ChatState, event: StreamEvent, source: "reply" | "live"): ChatState {
  switch (event.type) {
    case "message":
      return addMessages(state, [event.message]);
    case "delta": {
      if (state.messages.some((message) => message.id === event.messageId)) return state;
      const text = state.pending?.id === event.messageId ? state.pending.text + event.text : event.text;
      return { ...state, pending: { id: event.messageId, text }, typing: false };
    }
    case "reset":
      return { ...state, pending: state.pending?.id === event.messageId ? { id: event.messageId, text: "" } : state.pending, typing: true };
    case "handoff":
      return withStatus(state, event.status);
    case "typing":
      // The shopper's own other tabs do not "type"; only the assistant (this reply) or a staff member does.
      return source === "reply" || event.author === "staff" ? { ...state, typing: true } : state;
    case "done": {
      const next = event.message ? addMessages(state, [event.message]) : state;
      return withStatus({ ...next, pending: null, typing: false }, event.status);
    }
    case "error":
      return { ...state, pending: null, typing: false, alert: { key: "reply_failed" } };
  }
}

/** A resolved conversation a person handled asks for a rating, once, if the shopper is looking at the chat. */
function withStatus(state: ChatState, status: ConversationStatus | undefined): ChatState {
  if (!status) return state;
  const next = { ...state, status };
  if (status === "resolved" && next.handledByHuman && !next.rated && !next.csatDismissed && next.view === "chat" && next.messages.length > 0) next.view = "csat";
  return next;
}

// ---------------------------------------------------------------------------
// Derived values
// ---------------------------------------------------------------------------

export function teamIsReplying(state: ChatState): boolean {
  return state.handledByHuman || state.status === "waiting_on_staff";
}

/** Chips under the conversation: the starters until the shopper writes, then the last assistant message's. */
export function visibleQuickReplies(state: ChatState): string[] {
  if (state.view !== "chat" || state.sending || state.pending) return [];
  const replies = state.messages.some((message) => message.author === "shopper") ? currentQuickReplies(state.messages) : state.starterReplies;
  return replies.slice(0, 6);
}

/** "End chat" once the shopper has said something the server has. */
export function canEndChat(state: ChatState): boolean {
  return state.messages.some((message) => message.author === "shopper" && !message.local);
}

/** Live updates are worth a connection while the panel is open or there is a conversation to follow. */
export function wantsLive(state: ChatState): boolean {
  return Boolean(state.token && state.loaded && (state.opened || state.messages.length > 0));
}

/** What went wrong, in the shopper's terms: too fast (with the wait), offline, or `fallback`. */
export function alertFor(error: unknown, fallback: Alert["key"]): Alert {
  if (error instanceof ApiError && error.status === 429) return { key: "rate_limited", seconds: error.retryAfter ?? 30 };
  if (error instanceof TypeError || (typeof navigator !== "undefined" && navigator.onLine === false)) return { key: "offline" };
  return { key: fallback };
}

export function alertText(alert: Alert, s: Strings): string {
  return format(s[alert.key], { seconds: alert.seconds ?? 30 });
}

// ---------------------------------------------------------------------------
// Store
// ---------------------------------------------------------------------------

export interface Store {
  get(): ChatState;
  dispatch(action: Action): void;
  /** Runs after every change with the new and the previous state. */
  subscribe(listener: (state: ChatState, previous: ChatState) => void): () => void;
}

export function createStore(initial: ChatState): Store {
  let state = initial;
  const listeners = new Set<(state: ChatState, previous: ChatState) => void>();
  return {
    get: () => state,
    dispatch(action) {
      const previous = state;
      state = reduce(state, action);
      if (state !== previous) for (const listener of Array.from(listeners)) listener(state, previous);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
