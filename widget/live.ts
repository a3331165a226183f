import type { ChatMessage, ConversationStatus, StreamEvent } from "../app/modules/storefront/chat-contract";
import { ApiError, type ChatApi } from "./api";

/**
 * Keeps `GET events` open for the current conversation: staff replies, handoffs and messages sent from other
 * tabs arrive live. When the stream ends (the server closes it after a few minutes, or the network drops)
 * it waits with exponential backoff, catches up with `GET messages?after=<last id>`, and reconnects.
 */

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
/** A connection that stayed up this long was healthy: the next reconnect starts the backoff over. */
const HEALTHY_MS = 20_000;

/** Full jitter on an exponential curve: attempt 0 waits 0.5–1 s, then doubling up to 30 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface LiveOptions {
  api: ChatApi;
  token: () => string | null;
  lastId: () => string | null;
  onEvent: (event: StreamEvent) => void;
  onCatchUp: (messages: ChatMessage[], status: ConversationStatus) => void;
  /** The token no longer opens a conversation (404/401): the widget starts over. */
  onGone: () => void;
  /** Wait before reconnect number `attempt` (tests shorten it). */
  delay?: (attempt: number) => number;
}

export class LiveConnection {
  private running = false;
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wake: (() => void) | null = null;
  private generation = 0;

  constructor(private readonly options: LiveOptions) {}

  get active(): boolean {
    return this.running;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.generation += 1;
    void this.loop(this.generation);
  }

  stop() {
    this.running = false;
    this.generation += 1;
    this.controller?.abort();
    this.controller = null;
    this.skipWait();
  }

  /** Reconnect now instead of waiting out the backoff (the browser came back online). */
  skipWait() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.wake = null;
        resolve();
      }, ms);
    });
  }

  private async loop(generation: number) {
    let attempt = 0;
    let reconnecting = false;
    let retryAfterMs = 0;
    while (this.running && generation === this.generation) {
      const token = this.options.token();
      if (!token) break;
      const opened = Date.now();
      try {
        if (reconnecting) {
          const { messages, status } = await this.options.api.messagesAfter(token, this.options.lastId());
          if (generation !== this.generation) return;
          this.options.onCatchUp(messages, status);
        }
        const controller = new AbortController();
        this.controller = controller;
        await this.options.api.events(token, this.options.lastId(), (event) => {
          if (generation === this.generation) this.options.onEvent(event);
        }, controller.signal);
      } catch (error) {
        if (generation !== this.generation) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 401)) {
          this.running = false;
          this.options.onGone();
          return;
        }
        if (error instanceof ApiError && error.retryAfter) retryAfterMs = error.retryAfter * 1000;
      }
      if (generation !== this.generation) return;
      reconnecting = true;
      attempt = Date.now() - opened > HEALTHY_MS ? 0 : attempt + 1;
      await this.sleep(Math.max(retryAfterMs, (this.options.delay ?? backoffDelay)(attempt)));
      retryAfterMs = 0;
    }
    if (generation === this.generation) this.running = false;
  }
}
