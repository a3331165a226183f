import {
  CONVERSATION_HEADER,
  type ChatMessage,
  type ConversationSnapshot,
  type ConversationStatus,
  type StreamEvent,
} from "../app/modules/storefront/chat-contract";
import { readSse } from "./sse";

/**
 * The storefront chat API (app/modules/storefront/chat-contract.ts) on the shop's own domain. The token
 * travels only in the X-Shopdesk-Conversation header, only to this same-origin base path.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
    /** Seconds, from Retry-After on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Same origin only: a root-relative path, never protocol-relative or absolute. */
export function safeBase(value: string | null | undefined): string {
  const base = (value ?? "").trim().replace(/\/+$/, "");
  return base[0] === "/" && base[1] !== "/" && base[1] !== "\\" ? base : "/apps/shopdesk";
}

/** The server accepts `en` or `pt-BR`-style codes; anything else is left out rather than refused. */
export function apiLocale(value: string | null | undefined): string | undefined {
  const locale = (value ?? "").trim();
  if (/^[a-z]{2}(-[A-Za-z]{2,4})?$/.test(locale)) return locale;
  const base = /^([a-z]{2})\b/.exec(locale.toLowerCase())?.[1];
  return base;
}

export function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

async function toApiError(response: Response): Promise<ApiError> {
  let message = `HTTP ${response.status}`;
  let field: string | undefined;
  try {
    const body = (await response.json()) as { error?: unknown; field?: unknown };
    if (typeof body.error === "string") message = body.error;
    if (typeof body.field === "string") field = body.field;
  } catch {
    // not JSON
  }
  return new ApiError(message, response.status, field, retryAfterSeconds(response.headers.get("Retry-After")));
}

export interface ChatApi {
  start(token: string | null, locale: string | undefined): Promise<ConversationSnapshot>;
  /** `onOpen` runs once the server accepted the message (it is stored from then on), before the reply streams. */
  send(token: string, text: string, onEvent: (event: StreamEvent) => void, signal?: AbortSignal, onOpen?: () => void): Promise<void>;
  messagesAfter(token: string, after: string | null): Promise<{ messages: ChatMessage[]; status: ConversationStatus }>;
  events(token: string, after: string | null, onEvent: (event: StreamEvent) => void, signal: AbortSignal, onOpen?: () => void): Promise<void>;
  verify(token: string, orderNumber: string, email: string): Promise<{ verified: true; message: ChatMessage }>;
  handoff(token: string): Promise<{ message: ChatMessage; status: ConversationStatus }>;
  rate(token: string, score: number, comment?: string): Promise<void>;
  /** Read receipt: the shopper has seen every message up to `upTo`. */
  read(token: string, upTo: string): Promise<void>;
}

export function createApi(baseValue: string | null | undefined, fetchImpl: typeof fetch = (...args) => fetch(...args)): ChatApi {
  const base = safeBase(baseValue);

  const request = async (path: string, init: { method?: string; token?: string; body?: unknown; accept?: string; signal?: AbortSignal }) => {
    const headers: Record<string, string> = { Accept: init.accept ?? "application/json" };
    if (init.token) headers[CONVERSATION_HEADER] = init.token;
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetchImpl(`${base}/${path}`, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: init.signal,
    });
    if (!response.ok) throw await toApiError(response);
    return response;
  };

  const json = async <T>(response: Response) => (await response.json()) as T;

  const stream = async (response: Response, onEvent: (event: StreamEvent) => void, onComment?: (text: string) => void) => {
    if (!response.body) throw new ApiError("The stream has no body.", 0);
    await readSse(response.body, onEvent, onComment);
  };

  return {
    async start(token, locale) {
      const body: { token?: string; locale?: string } = {};
      if (token) body.token = token;
      if (locale) body.locale = locale;
      return json<ConversationSnapshot>(await request("conversations", { method: "POST", body }));
    },
    async send(token, text, onEvent, signal, onOpen) {
      const response = await request("messages", { method: "POST", token, body: { text }, accept: "text/event-stream", signal });
      onOpen?.();
      await stream(response, onEvent);
    },
    async messagesAfter(token, after) {
      const query = after ? `?after=${encodeURIComponent(after)}` : "";
      return json(await request(`messages${query}`, { token }));
    },
    async events(token, after, onEvent, signal, onOpen) {
      // `after` lets the server replay what arrived between our last message and this connection.
      const query = after ? `?after=${encodeURIComponent(after)}` : "";
      const response = await request(`events${query}`, { token, accept: "text/event-stream", signal });
      onOpen?.();
      await stream(response, onEvent);
    },
    async verify(token, orderNumber, email) {
      return json(await request("verify", { method: "POST", token, body: { orderNumber, email } }));
    },
    async handoff(token) {
      return json(await request("handoff", { method: "POST", token, body: {} }));
    },
    async rate(token, score, comment) {
      await request("rating", { method: "POST", token, body: comment ? { score, comment } : { score } });
    },
    async read(token, upTo) {
      await request("read", { method: "POST", token, body: { upTo } });
    },
  };
}
