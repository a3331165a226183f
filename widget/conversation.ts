import { ApiError, type ChatApi } from "./api";
import { LiveConnection } from "./live";
import { lastServerId, localMessage, normalizeBody } from "./messages";
import { createReadReceipts, type ReadReceiptOptions } from "./read-receipts";
import { alertFor, type Store, wantsLive } from "./state";
import type { TokenStore } from "./storage";
import { MAX_COMMENT_CHARS, MAX_MESSAGE_CHARS } from "../app/modules/storefront/chat-contract";

/**
 * The widget's side of the conversation with the server: opening or resuming it from the stored token,
 * sending (with the reply streamed back), the live stream, catch-ups, read receipts, handoff, verification
 * and rating. Everything it learns goes into the store as actions; it never touches the DOM.
 */

const STAFF_TYPING_MS = 8_000;

export interface ConversationOptions {
  store: Store;
  api: ChatApi;
  tokens: TokenStore;
  /** The storefront's locale as the API takes it (`fr`, `pt-BR`), if it has one. */
  locale: string | undefined;
  /** The page's document, for read receipts (tests pass a stand-in). */
  doc?: ReadReceiptOptions["doc"];
}

export interface Conversation {
  /** The token of a loaded conversation: the stored one resumed, or a new one. */
  ensureSession(): Promise<string>;
  /**
   * Sends the shopper's message and streams the reply. Returns the text when the server never took it (the
   * composer gives it back to the shopper), or null.
   */
  send(text: string): Promise<string | null>;
  handoff(): Promise<boolean>;
  /** Verifies an order; throws the API's error for the form to explain. False when another request is running. */
  verify(orderNumber: string, email: string): Promise<boolean>;
  /** Rates the conversation; throws the API's error for the form to explain. */
  rate(score: number, comment: string): Promise<boolean>;
  /** "Start a new chat" after rating. */
  startNew(): void;
  /** Another tab stored a different token (or none): follow it. */
  followStoredToken(): void;
  /** Reconnect the live stream now (the browser came back online). */
  reconnect(): void;
  stop(): void;
}

export function createConversation({ store, api, tokens, locale, doc }: ConversationOptions): Conversation {
  const state = () => store.get();
  let session: Promise<string> | null = null;
  let staffTypingTimer: ReturnType<typeof setTimeout> | null = null;

  const clearStaffTyping = () => {
    if (staffTypingTimer) clearTimeout(staffTypingTimer);
    staffTypingTimer = null;
  };

  const fail = (error: unknown, fallback: "send_failed" | "error") => store.dispatch({ type: "alert", alert: alertFor(error, fallback) });

  const track = (attempt: Promise<string>): Promise<string> => {
    session = attempt;
    attempt.catch(() => {
      if (session === attempt) session = null;
    });
    return attempt;
  };

  const open = async (previous: string | null): Promise<string> => {
    store.dispatch({ type: "connecting" });
    try {
      const snapshot = await api.start(previous, locale);
      if (tokens.get() !== snapshot.token) tokens.set(snapshot.token);
      store.dispatch({ type: "snapshot", snapshot });
      return snapshot.token;
    } catch (error) {
      store.dispatch({ type: "connect-failed", alert: alertFor(error, "error") });
      throw error;
    }
  };

  const ensureSession = (): Promise<string> => {
    const { token, loaded } = state();
    if (token && loaded) return Promise.resolve(token);
    return session ?? track(open(tokens.get()));
  };

  /** The token stopped working (expired or closed conversation): start a fresh one. */
  const restart = (): Promise<string> => {
    live.stop();
    tokens.set(null);
    store.dispatch({ type: "token-dropped" });
    return track(open(null));
  };

  const catchUp = async () => {
    const token = state().token;
    if (!token) return;
    const { messages, status } = await api.messagesAfter(token, lastServerId(state().messages));
    store.dispatch({ type: "received", messages, status });
  };

  /** Runs one of the panel's requests (handoff, verify, rating): one at a time. */
  const exclusive = async <T>(work: (token: string) => Promise<T>): Promise<T | undefined> => {
    if (state().busy) return undefined;
    store.dispatch({ type: "busy", busy: true });
    try {
      return await work(await ensureSession());
    } finally {
      store.dispatch({ type: "busy", busy: false });
    }
  };

  const live = new LiveConnection({
    api,
    token: () => state().token,
    lastId: () => lastServerId(state().messages),
    onEvent: (event) => {
      store.dispatch({ type: "stream", event, source: "live" });
      // A staff member's "typing" has no end event: it fades unless renewed.
      if (event.type === "typing" && event.author === "staff" && state().typing) {
        clearStaffTyping();
        staffTypingTimer = setTimeout(() => store.dispatch({ type: "typing-timeout" }), STAFF_TYPING_MS);
      }
    },
    onCatchUp: (messages, status) => store.dispatch({ type: "received", messages, status }),
    onGone: () => void restart().catch(() => {}),
  });
  const receipts = createReadReceipts({
    doc,
    view: () => ({ open: state().opened, messages: state().messages }),
    send: (upTo) => {
      const token = state().token;
      return token ? api.read(token, upTo) : Promise.resolve();
    },
  });
  const unsubscribe = store.subscribe((next) => {
    if (!next.typing) clearStaffTyping();
    if (wantsLive(next)) live.start();
    else live.stop();
    receipts.check();
  });

  return {
    ensureSession,

    async send(text) {
      if (state().sending) return null;
      const body = normalizeBody(text).slice(0, MAX_MESSAGE_CHARS);
      if (!body) return null;
      const local = localMessage(body);
      store.dispatch({ type: "send-start", local });
      let accepted = false;
      let finished = false;
      const attempt = (token: string) =>
        api.send(
          token,
          body,
          (event) => {
            accepted = true;
            if (event.type === "done" || event.type === "error") finished = true;
            store.dispatch({ type: "stream", event, source: "reply" });
          },
          undefined,
          () => {
            accepted = true;
          },
        );
      try {
        const token = await ensureSession();
        try {
          await attempt(token);
        } catch (error) {
          // The conversation expired or was closed meanwhile: start a new one and send there.
          if (!accepted && error instanceof ApiError && [401, 404, 409].includes(error.status)) await attempt(await restart());
          else throw error;
        }
        if (!finished) await catchUp();
        return null;
      } catch (error) {
        if (accepted) {
          // The message was stored; only the reply stream broke. Fetch what the server has.
          await catchUp().catch(() => fail(error, "send_failed"));
          return null;
        }
        store.dispatch({ type: "send-unsent", localId: local.id });
        fail(error, "send_failed");
        return body;
      } finally {
        store.dispatch({ type: "send-end" });
      }
    },

    async handoff() {
      if (state().busy) return false;
      store.dispatch({ type: "alert", alert: null });
      try {
        const result = await exclusive((token) => api.handoff(token));
        if (!result) return false;
        store.dispatch({ type: "received", messages: [result.message], status: result.status });
        return true;
      } catch (error) {
        fail(error, "send_failed");
        return false;
      }
    },

    async verify(orderNumber, email) {
      const result = await exclusive((token) => api.verify(token, orderNumber, email));
      if (!result) return false;
      store.dispatch({ type: "received", messages: [result.message] });
      return true;
    },

    async rate(score, comment) {
      const done = await exclusive(async (token) => {
        await api.rate(token, score, comment.trim().slice(0, MAX_COMMENT_CHARS) || undefined);
        return true;
      });
      if (done) store.dispatch({ type: "rated" });
      return Boolean(done);
    },

    startNew() {
      live.stop();
      tokens.set(null);
      store.dispatch({ type: "new-chat" });
      track(open(null)).catch(() => {});
    },

    followStoredToken() {
      const next = tokens.get();
      if (next === state().token) return;
      live.stop();
      session = null;
      store.dispatch({ type: "cleared" });
      if (next) ensureSession().catch(() => {});
    },

    reconnect() {
      live.skipWait();
    },

    stop() {
      unsubscribe();
      live.stop();
      receipts.stop();
      clearStaffTyping();
    },
  };
}
