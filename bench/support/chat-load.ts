import { DEV_SHOPIFY_API_SECRET } from "../../app/env.server";
import { appProxyQuery } from "../../app/modules/demo";
import { CONVERSATION_HEADER, type StreamEvent } from "../../app/modules/storefront";

/**
 * Simulated shoppers on the storefront chat API over real HTTP, signed as Shopify's app proxy signs: each
 * starts a conversation, keeps the live events stream (SSE) open as the widget does, and sends a message
 * every few seconds, timing the first streamed delta of each reply.
 */

export interface TurnSample {
  shopper: number;
  startedAt: number;
  /** When the reply's stream ended (or the request failed). */
  endedAt: number;
  /** ms from sending to the first delta (undefined when none came). */
  firstDeltaMs?: number;
  ok: boolean;
  /** The stored shopper message's id, when the response said it was stored (the message was accepted). */
  acceptedId?: string;
  error?: string;
}

export interface LoadOptions {
  baseUrl: string;
  shopDomain: string;
  shoppers: number;
  durationMs: number;
  /** Pause between one reply's end and the next message, ms (uniform in [min, max]). */
  pauseMs: [number, number];
  /** Per-request timeout, ms. */
  timeoutMs?: number;
}

const QUESTIONS = [
  "What is your return policy?",
  "How long does shipping to Canada take?",
  "Do you ship internationally?",
  "Hi there!",
  "Can I pay with PayPal?",
  "How much is shipping?",
  "Do you have a discount code?",
  "Where is my order?",
  "Is the rain jacket waterproof?",
  "How do I contact you?",
  "Thanks!",
  "Quelle est votre politique de retour ?",
  "Wie lange dauert der Versand?",
];

function signedUrl(baseUrl: string, shopDomain: string, path: string) {
  const query = appProxyQuery({ search: new URLSearchParams(), shopDomain, apiSecret: DEV_SHOPIFY_API_SECRET });
  return `${baseUrl}/proxy/${path}?${query.toString()}`;
}

function shopperIp(index: number) {
  return `198.51.${100 + (index >> 8)}.${index & 255}`;
}

/** Reads an SSE body frame by frame until it ends or `onEvent` returns true. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => boolean | undefined) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        if (data && onEvent(JSON.parse(data.slice(6)) as StreamEvent)) return;
        end = buffer.indexOf("\n\n");
      }
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}

async function startConversation(options: LoadOptions, index: number): Promise<string> {
  const response = await fetch(signedUrl(options.baseUrl, options.shopDomain, "conversations"), {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": shopperIp(index) },
    body: JSON.stringify({ locale: "en" }),
  });
  if (response.status !== 200) throw new Error(`starting a conversation: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

async function sendMessage(options: LoadOptions, index: number, token: string, text: string): Promise<TurnSample> {
  const startedAt = performance.now();
  const sample: TurnSample = { shopper: index, startedAt, endedAt: startedAt, ok: false };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  try {
    const response = await fetch(signedUrl(options.baseUrl, options.shopDomain, "messages"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": shopperIp(index), [CONVERSATION_HEADER]: token },
      body: JSON.stringify({ text }),
      signal: controller.signal,
    });
    if (response.status !== 200 || !response.body) {
      sample.error = `HTTP ${response.status}`;
      await response.body?.cancel();
      return sample;
    }
    let replied = false;
    await readEvents(response.body, (event) => {
      if (event.type === "message" && event.message.author === "shopper") sample.acceptedId = event.message.id;
      else if (event.type === "delta") sample.firstDeltaMs ??= performance.now() - startedAt;
      else if (event.type === "error") sample.error = event.error;
      else if (event.type === "done") replied = true;
      return undefined;
    });
    sample.ok = replied && !sample.error && sample.firstDeltaMs !== undefined;
    if (!sample.ok && !sample.error) sample.error = "stream ended without a reply";
  } catch (error) {
    sample.error = controller.signal.aborted ? "timeout" : error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
    sample.endedAt = performance.now();
  }
  return sample;
}

export interface LoadResult {
  samples: TurnSample[];
  /** Live-event streams that were open at the end. */
  openStreams: number;
  startErrors: string[];
}

/** Runs the shoppers for `durationMs` and returns every turn. `onTick` runs each second (memory sampling). */
export async function runChatLoad(options: LoadOptions, onTick?: (elapsedMs: number) => void): Promise<LoadResult> {
  const samples: TurnSample[] = [];
  const startErrors: string[] = [];
  const stop = new AbortController();
  let openStreams = 0;
  const t0 = performance.now();
  const ticker = setInterval(() => onTick?.(performance.now() - t0), 1_000);
  const random = (() => {
    let seed = 0x5eed;
    return () => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
  })();
  const pause = () => options.pauseMs[0] + random() * (options.pauseMs[1] - options.pauseMs[0]);

  // Node's fetch pools connections per origin without a cap, so every shopper holds its own streams.
  const shopper = async (index: number) => {
    // Arrivals spread over the first pause, as shoppers do not all open the chat in the same millisecond.
    await new Promise((resolve) => setTimeout(resolve, random() * options.pauseMs[1]));
    let token: string;
    try {
      token = await startConversation(options, index);
    } catch (error) {
      startErrors.push(error instanceof Error ? error.message : String(error));
      return { events: Promise.resolve() };
    }
    const events = fetch(signedUrl(options.baseUrl, options.shopDomain, "events"), {
      headers: { "x-forwarded-for": shopperIp(index), [CONVERSATION_HEADER]: token, accept: "text/event-stream" },
      signal: stop.signal,
    })
      .then(async (response) => {
        if (response.status !== 200 || !response.body) throw new Error(`events stream: HTTP ${response.status}`);
        openStreams++;
        await readEvents(response.body, () => stop.signal.aborted);
        if (!stop.signal.aborted) {
          openStreams--;
          startErrors.push("events stream: ended by the server");
        }
      })
      .catch((error: unknown) => {
        if (!stop.signal.aborted) startErrors.push(`events stream: ${error instanceof Error ? error.message : String(error)}`);
      });
    let turn = index;
    while (performance.now() - t0 < options.durationMs) {
      samples.push(await sendMessage(options, index, token, QUESTIONS[turn++ % QUESTIONS.length]!));
      await new Promise((resolve) => setTimeout(resolve, pause()));
    }
    // Wrapped: an async function returning the promise itself would wait for the stream to end.
    return { events };
  };
  const streams = await Promise.all(Array.from({ length: options.shoppers }, (_, index) => shopper(index)));
  // Streams still open at the end: counted before closing them.
  const stillOpen = openStreams;
  stop.abort();
  await Promise.all(streams.map((shopper) => shopper.events));
  clearInterval(ticker);
  return { samples, openStreams: stillOpen, startErrors };
}
