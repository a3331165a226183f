import Stripe from "stripe";

/**
 * Stripe's API through the official SDK. The SDK retries network failures, 409s and 5xx answers itself, with
 * the same idempotency key; tests point it at a local server speaking Stripe's wire format (`apiBase`).
 */

export interface StripeApiOptions {
  /** Where Stripe's API is (tests: a local server, e.g. http://127.0.0.1:12111); api.stripe.com when omitted. */
  apiBase?: string;
  /** The SDK's own retries of network failures, 409 and 5xx (default 2). */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

export function stripeClient(apiKey: string, options: StripeApiOptions = {}): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : null;
  const protocol = base?.protocol === "http:" ? "http" : "https";
  return new Stripe(apiKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: "Shopdesk" },
    ...(base ? { host: base.hostname, port: Number(base.port) || (protocol === "http" ? 80 : 443), protocol } : {}),
  });
}

/** Stripe's signature check (HMAC-SHA256 of `<t>.<body>`, any v1 signature); throws when it fails or is older than the tolerance. */
export function verifyStripeEvent(body: Buffer | string, signature: string, webhookSecret: string, toleranceSeconds: number) {
  return Stripe.webhooks.constructEvent(body, signature, webhookSecret, toleranceSeconds);
}

// ---------------------------------------------------------------- Money

/** Currencies Stripe counts in whole units, and those it counts in thousandths (docs: "Zero-decimal currencies"). */
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

function exponent(currency: string): number {
  const code = currency.toLowerCase();
  return ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
}

/** Stripe's integer amount as Shopdesk's decimal string ("19.99"). */
export function fromMinorUnits(amount: number, currency: string): string {
  return (amount / 10 ** exponent(currency)).toFixed(2);
}

/** A decimal amount as Stripe's integer in the currency's smallest unit. */
export function toMinorUnits(amount: string, currency: string): number {
  const units = Math.round(Number(amount) * 10 ** exponent(currency));
  // Stripe takes three-decimal amounts only in multiples of ten.
  return exponent(currency) === 3 ? Math.round(units / 10) * 10 : units;
}

// ---------------------------------------------------------------- Errors

const SECRET = /\b(?:(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9*]+|whsec_[A-Za-z0-9+/=*]+)/g;

/** Removes Stripe keys and webhook secrets (also Stripe's own masked ones) from a text before it is stored or logged. */
export function redactStripeSecrets(text: string): string {
  return text.replace(SECRET, "[redacted]");
}

export type StripeFailureKind = "auth" | "permission" | "invalid" | "card" | "idempotency" | "rate_limit" | "unavailable";

export interface StripeFailure {
  kind: StripeFailureKind;
  /** Stripe's message (or the network error's), without any key. */
  message: string;
  status: number | null;
  code: string | null;
  requestId: string | null;
}

/** What went wrong in a call, in terms a caller can act on: refuse (auth, permission, invalid, card, idempotency) or retry. */
export function describeStripeError(error: unknown): StripeFailure {
  const message = redactStripeSecrets(error instanceof Error ? error.message : String(error));
  if (!(error instanceof Stripe.errors.StripeError)) return { kind: "unavailable", message, status: null, code: null, requestId: null };
  const details = { message, status: error.statusCode ?? null, code: error.code ?? null, requestId: error.requestId ?? null };
  if (error instanceof Stripe.errors.StripeAuthenticationError) return { kind: "auth", ...details };
  if (error instanceof Stripe.errors.StripePermissionError) return { kind: "permission", ...details };
  if (error instanceof Stripe.errors.StripeIdempotencyError) return { kind: "idempotency", ...details };
  if (error instanceof Stripe.errors.StripeCardError) return { kind: "card", ...details };
  if (error instanceof Stripe.errors.StripeRateLimitError) return { kind: "rate_limit", ...details };
  if (error instanceof Stripe.errors.StripeInvalidRequestError) return { kind: "invalid", ...details };
  return { kind: "unavailable", ...details };
}
