import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local server speaking the parts of Stripe's API the connector uses, in Stripe's wire format: Bearer keys
 * (401 with Stripe's error JSON for an unknown key, 403 for a restricted key without the permission),
 * form-encoded POST bodies with bracketed keys, list objects, `Request-Id` headers, and idempotent POST /v1/refunds:
 * a repeated Idempotency-Key with the same parameters replays the first answer (Idempotent-Replayed: true), with
 * other parameters it is a 400 idempotency_error. Refunds above what is left on the charge are a 400
 * (invalid_request_error); a charge marked `declineRefunds` answers 402 (card_error).
 */

export interface FakeCharge {
  id: string;
  amount: number;
  currency: string;
  paymentIntent: string | null;
  created: number;
  email: string | null;
  metadata?: Record<string, string>;
  amountRefunded?: number;
  /** Refunds of this charge are declined with a 402 card_error. */
  declineRefunds?: boolean;
}

export interface SeenRequest {
  method: string;
  path: string;
  key: string | null;
  idempotencyKey: string | null;
  params: Record<string, string>;
  replayed: boolean;
}

export interface StripeApiServer {
  url: string;
  requests: SeenRequest[];
  charges: Map<string, FakeCharge>;
  /** Refunds Stripe actually created (a replay creates none). */
  refunds: Record<string, unknown>[];
  /** Keys Stripe knows; `permissions` limits a restricted key to some resources (charges, refunds). */
  keys: Map<string, { permissions?: string[] }>;
  /** The next POST /v1/refunds is processed, then its connection is cut before the answer (a lost response). */
  dropNextRefundAnswer(): void;
  /** The next requests answer 500 (Stripe's api_error), as many times as given. */
  failNext(times: number): void;
  close(): Promise<void>;
}

function stripeError(response: ServerResponse, status: number, error: Record<string, unknown>) {
  response.writeHead(status, { "content-type": "application/json", "request-id": `req_${Math.random().toString(36).slice(2, 12)}` });
  response.end(JSON.stringify({ error }));
}

function json(response: ServerResponse, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(200, { "content-type": "application/json", "request-id": `req_${Math.random().toString(36).slice(2, 12)}`, ...headers });
  response.end(JSON.stringify(body));
}

const masked = (key: string) => `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

export function chargeObject(charge: FakeCharge) {
  return {
    id: charge.id,
    object: "charge",
    amount: charge.amount,
    amount_captured: charge.amount,
    amount_refunded: charge.amountRefunded ?? 0,
    billing_details: { address: null, email: charge.email, name: null, phone: null },
    captured: true,
    created: charge.created,
    currency: charge.currency,
    disputed: false,
    livemode: false,
    metadata: charge.metadata ?? {},
    paid: true,
    payment_intent: charge.paymentIntent,
    receipt_email: null,
    refunded: (charge.amountRefunded ?? 0) >= charge.amount,
    status: "succeeded",
  };
}

export async function startStripeApiServer(options: { keys?: string[] } = {}): Promise<StripeApiServer> {
  const requests: SeenRequest[] = [];
  const charges = new Map<string, FakeCharge>();
  const refunds: Record<string, unknown>[] = [];
  const keys = new Map<string, { permissions?: string[] }>((options.keys ?? []).map((key) => [key, {}]));
  const idempotent = new Map<string, { hash: string; status: number; body: string }>();
  let dropNext = false;
  let failures = 0;
  let refundNumber = 1;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", "http://stripe.local");
    const form = request.method === "POST" ? new URLSearchParams(Buffer.concat(chunks).toString("utf8")) : url.searchParams;
    const params = Object.fromEntries(form.entries());
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? null;
    const idempotencyKey = (request.headers["idempotency-key"] as string | undefined) ?? null;
    const seen: SeenRequest = { method: request.method ?? "GET", path: url.pathname, key, idempotencyKey, params, replayed: false };
    requests.push(seen);

    if (failures > 0) {
      failures--;
      return stripeError(response, 500, { type: "api_error", message: "An unknown error occurred" });
    }
    const account = key ? keys.get(key) : undefined;
    if (!key || !account) {
      return stripeError(response, 401, { type: "invalid_request_error", message: `Invalid API Key provided: ${key ? masked(key) : "(none)"}` });
    }
    const resource = url.pathname.split("/")[2] ?? "";
    if (account.permissions && !account.permissions.includes(resource)) {
      return stripeError(response, 403, {
        type: "invalid_request_error",
        code: "secret_key_required",
        message: `The provided key '${masked(key)}' does not have the required permissions for this endpoint on account 'acct_test'. Having the 'rak_${resource}_read' permission would allow this request to continue.`,
      });
    }

    if (request.method === "GET" && (url.pathname === "/v1/charges" || url.pathname === "/v1/refunds")) {
      const data = url.pathname === "/v1/charges" ? [...charges.values()].map(chargeObject) : refunds;
      return json(response, { object: "list", data: data.slice(0, Number(params.limit ?? 10)), has_more: data.length > Number(params.limit ?? 10), url: url.pathname });
    }
    const chargePath = /^\/v1\/charges\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && chargePath) {
      const charge = charges.get(chargePath[1]!);
      if (!charge) return stripeError(response, 404, { type: "invalid_request_error", code: "resource_missing", param: "id", message: `No such charge: '${chargePath[1]}'` });
      return json(response, chargeObject(charge));
    }
    if (request.method === "POST" && url.pathname === "/v1/refunds") {
      const hash = createHash("sha256").update(JSON.stringify(Object.entries(params).sort())).digest("hex");
      if (idempotencyKey) {
        const previous = idempotent.get(`${key}:${idempotencyKey}`);
        if (previous && previous.hash !== hash) {
          return stripeError(response, 400, {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          });
        }
        if (previous) {
          seen.replayed = true;
          response.writeHead(previous.status, { "content-type": "application/json", "idempotent-replayed": "true", "request-id": "req_replayed" });
          return response.end(previous.body);
        }
      }
      const remember = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        if (idempotencyKey) idempotent.set(`${key}:${idempotencyKey}`, { hash, status, body: text });
        return text;
      };
      const charge = [...charges.values()].find((candidate) => (params.payment_intent && candidate.paymentIntent === params.payment_intent) || (params.charge && candidate.id === params.charge));
      if (!charge) {
        const error = { type: "invalid_request_error", code: "resource_missing", param: params.payment_intent ? "payment_intent" : "charge", message: `No such payment_intent: '${params.payment_intent ?? params.charge}'` };
        response.writeHead(400, { "content-type": "application/json" }).end(remember(400, { error }));
        return;
      }
      if (charge.declineRefunds) {
        const error = { type: "card_error", code: "expired_or_canceled_card", message: "The refund could not be sent to the customer's card: it has expired or been canceled." };
        response.writeHead(402, { "content-type": "application/json" }).end(remember(402, { error }));
        return;
      }
      const amount = params.amount ? Number(params.amount) : charge.amount - (charge.amountRefunded ?? 0);
      const left = charge.amount - (charge.amountRefunded ?? 0);
      if (amount > left) {
        const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
        const error = { type: "invalid_request_error", code: "amount_too_large", param: "amount", message: `Refund amount (${dollars(amount)}) is greater than unrefunded amount on charge (${dollars(left)})` };
        response.writeHead(400, { "content-type": "application/json" }).end(remember(400, { error }));
        return;
      }
      charge.amountRefunded = (charge.amountRefunded ?? 0) + amount;
      const metadata = Object.fromEntries(Object.entries(params).flatMap(([name, value]) => (/^metadata\[(.+)\]$/.exec(name) ? [[/^metadata\[(.+)\]$/.exec(name)![1]!, value]] : [])));
      const refund = {
        id: `re_test_${refundNumber++}`,
        object: "refund",
        amount,
        balance_transaction: null,
        charge: charge.id,
        created: Math.floor(Date.now() / 1000),
        currency: charge.currency,
        metadata,
        payment_intent: charge.paymentIntent,
        reason: params.reason ?? null,
        status: "pending",
      };
      refunds.push(refund);
      const body = remember(200, refund);
      if (dropNext) {
        dropNext = false;
        // Stripe made the refund; the answer never arrives.
        request.socket.destroy();
        return;
      }
      response.writeHead(200, { "content-type": "application/json", "request-id": `req_${refund.id}` }).end(body);
      return;
    }
    stripeError(response, 404, { type: "invalid_request_error", message: `Unrecognized request URL (${request.method}: ${url.pathname}).` });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    charges,
    refunds,
    keys,
    dropNextRefundAnswer: () => {
      dropNext = true;
    },
    failNext: (times) => {
      failures = times;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
