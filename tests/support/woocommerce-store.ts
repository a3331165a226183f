import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A WooCommerce store on a loopback port, speaking the REST API v3 wire format the official client talks to:
 * OAuth 1.0a signatures (HMAC-SHA256, consumer secret + "&") over plain HTTP and Basic auth, WooCommerce's
 * error bodies ({ code, message, data: { status } }), 401 for unknown keys, bad signatures and read-only keys
 * writing, `per_page` at most 100 (400 above), `X-WP-Total` / `X-WP-TotalPages`, orders with `modified_after`
 * and `dates_are_gmt`, refunds, customers, webhooks CRUD (DELETE needs force), and webhook deliveries as
 * WC_Webhook sends them: X-WC-Webhook-* headers, base64 HMAC-SHA256 of the body with the webhook's secret,
 * no retries, and a webhook disabled after more than 5 consecutive failed deliveries. A new webhook is pinged.
 * Failures (429 with Retry-After, 5xx) can be queued for matching requests.
 */

type Json = Record<string, unknown>;

export interface StoreKey {
  consumerKey: string;
  consumerSecret: string;
  permissions: "read" | "write" | "read_write";
}

export interface StoreWebhook {
  id: number;
  name: string;
  status: "active" | "paused" | "disabled";
  topic: string;
  delivery_url: string;
  secret: string;
  failure_count: number;
  date_created_gmt: string;
}

interface InjectedFailure {
  method?: string;
  path: RegExp;
  query?: Record<string, string>;
  status: number;
  retryAfter?: string;
  times: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  auth: "oauth" | "basic" | "none";
}

const gmt = (date: Date) => date.toISOString().slice(0, 19);
const money = (value: number) => value.toFixed(2);

/** RFC 3986 percent-encoding, as OAuth 1.0a and WooCommerce's normalize_parameters use. */
function encode(value: string) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function newStoreKey(permissions: StoreKey["permissions"] = "read_write"): StoreKey {
  return { consumerKey: `ck_${randomBytes(20).toString("hex")}`, consumerSecret: `cs_${randomBytes(20).toString("hex")}`, permissions };
}

export interface OrderInput {
  id?: number;
  number?: string;
  status?: string;
  email: string;
  firstName?: string;
  lastName?: string;
  customerId?: number;
  currency?: string;
  lines?: { name: string; quantity: number; price: number; sku?: string }[];
  shippingTotal?: number;
  createdAt?: Date;
  tracking?: { provider: string; number: string; link?: string };
}

export class FakeWooStore {
  readonly keys: StoreKey[] = [];
  readonly orders = new Map<number, Json>();
  readonly customers = new Map<number, Json>();
  readonly refunds = new Map<number, Json[]>();
  readonly webhooks = new Map<number, StoreWebhook>();
  readonly requests: LoggedRequest[] = [];
  /** Every delivery attempt to a webhook: topic, resource id, HTTP status (0 when unreachable). */
  readonly deliveries: { webhookId: number; topic: string; resourceId: number; status: number }[] = [];
  private readonly failures: InjectedFailure[] = [];
  private readonly nonces = new Set<string>();
  private nextId = 1000;
  private clock = Date.now();
  /** Added to every list request (orders, customers), so a backfill takes long enough to watch. */
  listLatencyMs = 0;
  private server = createServer((request, response) => {
    this.handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) this.send(response, 500, { code: "internal_server_error", message: String(error), data: { status: 500 } });
    });
  });
  url = "";

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close() {
    return new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  addKey(permissions: StoreKey["permissions"] = "read_write") {
    const key = newStoreKey(permissions);
    this.keys.push(key);
    return key;
  }

  revokeKey(key: StoreKey) {
    const index = this.keys.indexOf(key);
    if (index >= 0) this.keys.splice(index, 1);
  }

  /** Answers the next `times` requests matching `path` (and `method`, and these query values) with `status` instead. */
  failNext(path: RegExp, status: number, options: { times?: number; method?: string; retryAfter?: string; query?: Record<string, string> } = {}) {
    this.failures.push({ path, status, times: options.times ?? 1, method: options.method?.toUpperCase(), retryAfter: options.retryAfter, query: options.query });
  }

  /** A monotonic store clock (whole seconds, as WooCommerce stores them): every change is a later version. */
  private tick(): Date {
    this.clock = Math.max(this.clock + 1_000, Date.now());
    return new Date(Math.floor(this.clock / 1_000) * 1_000);
  }

  addCustomer(input: { email: string; firstName?: string; lastName?: string; id?: number }) {
    const id = input.id ?? this.nextId++;
    const at = gmt(this.tick());
    const customer = {
      id,
      date_created: at,
      date_created_gmt: at,
      date_modified: at,
      date_modified_gmt: at,
      email: input.email,
      first_name: input.firstName ?? "",
      last_name: input.lastName ?? "",
      role: "customer",
      username: input.email.split("@")[0],
      billing: { first_name: input.firstName ?? "", last_name: input.lastName ?? "", email: input.email, phone: "" },
      shipping: { first_name: input.firstName ?? "", last_name: input.lastName ?? "" },
      is_paying_customer: false,
      avatar_url: "",
      meta_data: [],
    };
    this.customers.set(id, customer);
    return customer;
  }

  addOrder(input: OrderInput) {
    const id = input.id ?? this.nextId++;
    const created = input.createdAt ?? this.tick();
    const lines = (input.lines ?? [{ name: "Trail Runner Sock", quantity: 2, price: 12 }]).map((line, index) => ({
      id: id * 100 + index + 1,
      name: line.name,
      product_id: 500 + index,
      variation_id: 0,
      quantity: line.quantity,
      tax_class: "",
      subtotal: money(line.price * line.quantity),
      subtotal_tax: "0.00",
      total: money(line.price * line.quantity),
      total_tax: "0.00",
      taxes: [],
      meta_data: [],
      sku: line.sku ?? `SKU-${index + 1}`,
      price: line.price,
      parent_name: null,
    }));
    const itemsTotal = lines.reduce((sum, line) => sum + Number(line.total), 0);
    const shipping = input.shippingTotal ?? 5;
    const status = input.status ?? "processing";
    const order: Json = {
      id,
      parent_id: 0,
      number: input.number ?? String(id),
      order_key: `wc_order_${randomBytes(6).toString("hex")}`,
      created_via: "checkout",
      status,
      currency: input.currency ?? "USD",
      date_created: gmt(created),
      date_created_gmt: gmt(created),
      date_modified: gmt(created),
      date_modified_gmt: gmt(created),
      discount_total: "0.00",
      discount_tax: "0.00",
      shipping_total: money(shipping),
      shipping_tax: "0.00",
      cart_tax: "0.00",
      total: money(itemsTotal + shipping),
      total_tax: "0.00",
      prices_include_tax: false,
      customer_id: input.customerId ?? 0,
      customer_note: "",
      billing: {
        first_name: input.firstName ?? "Ada",
        last_name: input.lastName ?? "Lovelace",
        company: "",
        address_1: "1 Main St",
        address_2: "",
        city: "Portland",
        state: "OR",
        postcode: "97201",
        country: "US",
        email: input.email,
        phone: "",
      },
      shipping: {
        first_name: input.firstName ?? "Ada",
        last_name: input.lastName ?? "Lovelace",
        company: "",
        address_1: "1 Main St",
        address_2: "",
        city: "Portland",
        state: "OR",
        postcode: "97201",
        country: "US",
      },
      payment_method: "stripe",
      payment_method_title: "Credit card",
      transaction_id: "",
      date_paid: status === "pending" ? null : gmt(created),
      date_paid_gmt: status === "pending" ? null : gmt(created),
      date_completed: null,
      date_completed_gmt: null,
      meta_data: input.tracking
        ? [
            {
              id: 1,
              key: "_wc_shipment_tracking_items",
              value: [
                {
                  tracking_provider: input.tracking.provider,
                  custom_tracking_provider: "",
                  custom_tracking_link: input.tracking.link ?? "",
                  tracking_number: input.tracking.number,
                  date_shipped: String(Math.floor(created.getTime() / 1000)),
                  tracking_id: createHash("md5").update(input.tracking.number).digest("hex"),
                },
              ],
            },
          ]
        : [],
      line_items: lines,
      tax_lines: [],
      shipping_lines: [{ id: id * 100 + 99, method_title: "Flat rate", method_id: "flat_rate", total: money(shipping), total_tax: "0.00", taxes: [] }],
      fee_lines: [],
      coupon_lines: [],
      refunds: [],
      currency_symbol: "$",
    };
    this.orders.set(id, order);
    this.refunds.set(id, []);
    return order;
  }

  /** Changes an order as the store would: a new date_modified. */
  updateOrder(id: number, change: Json) {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    const at = gmt(this.tick());
    Object.assign(order, change, { date_modified: at, date_modified_gmt: at });
    if (change.status === "completed") Object.assign(order, { date_completed: at, date_completed_gmt: at });
    return order;
  }

  /** A refund of `quantity` of the order's first line, as wc_create_refund records it; the order is updated. */
  addRefund(orderId: number, input: { amount: number; reason?: string; quantity?: number }) {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    const line = (order.line_items as Json[])[0]!;
    const at = gmt(this.tick());
    const refund = {
      id: this.nextId++,
      date_created: at,
      date_created_gmt: at,
      amount: money(input.amount),
      reason: input.reason ?? "",
      refunded_by: 1,
      refunded_payment: true,
      meta_data: [],
      line_items: input.quantity
        ? [
            {
              id: this.nextId++,
              name: line.name,
              product_id: line.product_id,
              variation_id: 0,
              quantity: -input.quantity,
              tax_class: "",
              subtotal: money(-input.amount),
              subtotal_tax: "0.00",
              total: money(-input.amount),
              total_tax: "0.00",
              taxes: [],
              meta_data: [{ id: this.nextId++, key: "_refunded_item_id", value: String(line.id) }],
              sku: line.sku,
              price: -Number(line.price),
            },
          ]
        : [],
    };
    this.refunds.get(orderId)!.unshift(refund);
    const refunded = this.refunds.get(orderId)!.reduce((sum, entry) => sum + Number(entry.amount), 0);
    (order.refunds as Json[]).unshift({ id: refund.id, reason: refund.reason, total: money(-input.amount) });
    Object.assign(order, { date_modified: at, date_modified_gmt: at }, refunded >= Number(order.total) ? { status: "refunded" } : {});
    return refund;
  }

  // ---------------------------------------------------------------- Webhook deliveries

  /**
   * Fires `topic` for a resource the way WC_Webhook::deliver does, to every active webhook of that topic.
   * Returns the HTTP statuses (0 when the delivery URL could not be reached).
   */
  async fire(topic: string, resourceId: number): Promise<number[]> {
    const [resource, event] = topic.split(".") as [string, string];
    const statuses: number[] = [];
    for (const webhook of this.webhooks.values()) {
      if (webhook.topic !== topic || webhook.status !== "active") continue;
      const payload = event === "deleted" ? { id: resourceId } : resource === "order" ? this.orders.get(resourceId) : this.customers.get(resourceId);
      if (!payload) throw new Error(`no ${resource} ${resourceId}`);
      const body = JSON.stringify(payload);
      let status = 0;
      try {
        const response = await fetch(webhook.delivery_url, {
          method: "POST",
          redirect: "manual",
          headers: {
            "Content-Type": "application/json",
            "User-Agent": "WooCommerce/9.0.0 Hookshot (WordPress/6.5)",
            "X-WC-Webhook-Source": `${this.url}/`,
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": createHmac("sha256", webhook.secret).update(body).digest("base64"),
            "X-WC-Webhook-ID": String(webhook.id),
            // wp_hash(id . time()): the same for every delivery of this webhook within one second.
            "X-WC-Webhook-Delivery-ID": createHash("md5").update(`${webhook.id}${Math.floor(Date.now() / 1000)}`).digest("hex"),
          },
          body,
        });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 0;
      }
      this.deliveries.push({ webhookId: webhook.id, topic, resourceId, status });
      if (status >= 200 && status < 303) webhook.failure_count = 0;
      else if (webhook.failure_count > 5) webhook.status = "disabled";
      else webhook.failure_count++;
      statuses.push(status);
    }
    return statuses;
  }

  private webhookJson(webhook: StoreWebhook) {
    const [resource, event] = webhook.topic.split(".");
    return {
      id: webhook.id,
      name: webhook.name,
      status: webhook.status,
      topic: webhook.topic,
      resource,
      event,
      hooks: [],
      delivery_url: webhook.delivery_url,
      date_created: webhook.date_created_gmt,
      date_created_gmt: webhook.date_created_gmt,
      date_modified: webhook.date_created_gmt,
      date_modified_gmt: webhook.date_created_gmt,
    };
  }

  // ---------------------------------------------------------------- HTTP

  private send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = JSON.stringify(body);
    response.writeHead(status, { "Content-Type": "application/json; charset=UTF-8", "Content-Length": Buffer.byteLength(text), ...headers }).end(text);
  }

  private error(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
    this.send(response, status, { code, message, data: { status } }, headers);
  }

  /** WC_REST_Authentication: Basic auth, or an OAuth 1.0a signature over method, URL and sorted parameters. */
  private authenticate(request: IncomingMessage, url: URL): { key: StoreKey | null; kind: LoggedRequest["auth"]; error?: string } {
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "");
    if (basic) {
      const [consumerKey, consumerSecret] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":");
      const key = this.keys.find((candidate) => candidate.consumerKey === consumerKey);
      if (!key || key.consumerSecret !== consumerSecret) return { key: null, kind: "basic", error: "Consumer secret is invalid." };
      return { key, kind: "basic" };
    }
    const params = Object.fromEntries(url.searchParams.entries());
    if (!params.oauth_consumer_key) return { key: null, kind: "none" };
    const key = this.keys.find((candidate) => candidate.consumerKey === params.oauth_consumer_key);
    if (!key) return { key: null, kind: "oauth", error: "Consumer key is invalid." };
    const timestamp = Number(params.oauth_timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 15 * 60) return { key: null, kind: "oauth", error: "Invalid timestamp." };
    const nonce = `${key.consumerKey}:${params.oauth_nonce}:${params.oauth_timestamp}`;
    if (this.nonces.has(nonce)) return { key: null, kind: "oauth", error: "Invalid nonce - nonce has already been used." };
    const { oauth_signature: given = "", ...signed } = params;
    const method = params.oauth_signature_method === "HMAC-SHA1" ? "sha1" : "sha256";
    const base = [
      (request.method ?? "GET").toUpperCase(),
      encode(`http://${request.headers.host}${url.pathname}`),
      encode(
        Object.keys(signed)
          .sort()
          .map((name) => `${encode(name)}=${encode(signed[name]!)}`)
          .join("&"),
      ),
    ].join("&");
    const expected = Buffer.from(createHmac(method, `${encode(key.consumerSecret)}&`).update(base).digest("base64"));
    const provided = Buffer.from(given);
    if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) {
      return { key: null, kind: "oauth", error: "Invalid signature - provided signature does not match." };
    }
    this.nonces.add(nonce);
    return { key, kind: "oauth" };
  }

  private async list(response: ServerResponse, url: URL, items: Json[]) {
    if (this.listLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.listLatencyMs));
    const page = Number(url.searchParams.get("page") ?? 1);
    const perPage = Number(url.searchParams.get("per_page") ?? 10);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      return this.error(response, 400, "rest_invalid_param", "Invalid parameter(s): per_page");
    }
    if (!Number.isInteger(page) || page < 1) return this.error(response, 400, "rest_invalid_param", "Invalid parameter(s): page");
    const totalPages = Math.max(1, Math.ceil(items.length / perPage));
    if (items.length > 0 && page > totalPages) return this.error(response, 400, "woocommerce_rest_invalid_page_number", "The page number requested is larger than the number of pages available.");
    this.send(response, 200, items.slice((page - 1) * perPage, page * perPage), { "X-WP-Total": String(items.length), "X-WP-TotalPages": String(totalPages) });
  }

  private async readBody(request: IncomingMessage): Promise<Json> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? (JSON.parse(text) as Json) : {};
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", this.url);
    const method = (request.method ?? "GET").toUpperCase();
    const prefix = "/wp-json/wc/v3/";
    const log: LoggedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams.entries()), status: 0, auth: "none" };
    this.requests.push(log);
    const finish = response.end.bind(response);
    response.end = ((...args: Parameters<typeof finish>) => {
      log.status = response.statusCode;
      return finish(...args);
    }) as typeof response.end;

    if (!url.pathname.startsWith(prefix)) return this.error(response, 404, "rest_no_route", "No route was found matching the URL and request method.");
    const route = url.pathname.slice(prefix.length).replace(/\/$/, "");
    const auth = this.authenticate(request, url);
    log.auth = auth.kind;
    if (auth.error) return this.error(response, 401, "woocommerce_rest_authentication_error", auth.error);
    if (!auth.key) return this.error(response, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    if (method !== "GET" && auth.key.permissions === "read") {
      return this.error(response, 401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions.");
    }

    const failure = this.failures.find(
      (candidate) =>
        candidate.path.test(route) &&
        (!candidate.method || candidate.method === method) &&
        Object.entries(candidate.query ?? {}).every(([name, value]) => url.searchParams.get(name) === value),
    );
    if (failure) {
      if (--failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      const headers: Record<string, string> = failure.retryAfter !== undefined ? { "Retry-After": failure.retryAfter } : {};
      return failure.status === 429
        ? this.error(response, 429, "woocommerce_rest_too_many_requests", "Too many requests. Please wait and try again.", headers)
        : this.error(response, failure.status, "internal_server_error", "There has been a critical error on this website.", headers);
    }

    const orderId = /^orders\/(\d+)$/.exec(route)?.[1];
    const refundsOf = /^orders\/(\d+)\/refunds$/.exec(route)?.[1];
    const webhookId = /^webhooks\/(\d+)$/.exec(route)?.[1];
    if (method === "GET" && route === "orders") {
      let orders = [...this.orders.values()].filter((order) => order.status !== "trash");
      const status = url.searchParams.get("status");
      if (status && status !== "any") orders = orders.filter((order) => status.split(",").includes(String(order.status)));
      const modifiedAfter = url.searchParams.get("modified_after");
      if (modifiedAfter) {
        const gmtDates = url.searchParams.get("dates_are_gmt") === "true" || url.searchParams.get("dates_are_gmt") === "1";
        const bound = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(modifiedAfter) || !gmtDates ? modifiedAfter : `${modifiedAfter}Z`).getTime();
        orders = orders.filter((order) => new Date(`${order.date_modified_gmt}Z`).getTime() > bound);
      }
      const orderby = url.searchParams.get("orderby") ?? "date";
      const desc = (url.searchParams.get("order") ?? "desc") === "desc";
      const key = (order: Json) => (orderby === "id" ? Number(order.id) : orderby === "modified" ? String(order.date_modified_gmt) : String(order.date_created_gmt));
      orders.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : Number(a.id) - Number(b.id)) * (desc ? -1 : 1));
      return this.list(response, url, orders);
    }
    if (method === "GET" && orderId) {
      const order = this.orders.get(Number(orderId));
      return order ? this.send(response, 200, order) : this.error(response, 404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
    }
    if (method === "GET" && refundsOf) {
      const refunds = this.refunds.get(Number(refundsOf));
      return refunds ? this.list(response, url, refunds) : this.error(response, 404, "woocommerce_rest_invalid_order_id", "Invalid order ID.");
    }
    if (method === "GET" && route === "customers") {
      const role = url.searchParams.get("role") ?? "customer";
      const customers = [...this.customers.values()].filter((customer) => role === "all" || customer.role === role).sort((a, b) => Number(a.id) - Number(b.id));
      return this.list(response, url, customers);
    }
    if (route === "webhooks" && method === "GET") {
      return this.list(response, url, [...this.webhooks.values()].sort((a, b) => a.id - b.id).map((webhook) => this.webhookJson(webhook)));
    }
    if (route === "webhooks" && method === "POST") {
      const body = await this.readBody(request);
      const topic = String(body.topic ?? "").toLowerCase();
      if (!/^(order|customer|product|coupon)\.(created|updated|deleted|restored)$/.test(topic)) {
        return this.error(response, 400, "woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic is required and must be valid.");
      }
      if (!/^https?:\/\/\S+$/.test(String(body.delivery_url ?? ""))) {
        return this.error(response, 400, "woocommerce_rest_shop_webhook_invalid_delivery_url", "Webhook delivery URL must be a valid URL starting with http:// or https://.");
      }
      const webhook: StoreWebhook = {
        id: this.nextId++,
        name: String(body.name ?? "Webhook"),
        status: body.status === "paused" || body.status === "disabled" ? body.status : "active",
        topic,
        delivery_url: String(body.delivery_url),
        secret: body.secret ? String(body.secret) : randomBytes(25).toString("base64"),
        failure_count: 0,
        date_created_gmt: gmt(new Date()),
      };
      this.webhooks.set(webhook.id, webhook);
      this.send(response, 201, this.webhookJson(webhook));
      // WC_REST_Webhooks_Controller::create_item pings the URL after answering; the result is not checked.
      const ping = await fetch(webhook.delivery_url, { method: "POST", body: `webhook_id=${webhook.id}`, headers: { "Content-Type": "application/x-www-form-urlencoded" } })
        .then(async (answer) => {
          await answer.arrayBuffer();
          return answer.status;
        })
        .catch(() => 0);
      this.deliveries.push({ webhookId: webhook.id, topic: "ping", resourceId: webhook.id, status: ping });
      return;
    }
    if (webhookId) {
      const webhook = this.webhooks.get(Number(webhookId));
      if (method === "DELETE" && url.searchParams.get("force") !== "true" && url.searchParams.get("force") !== "1") {
        return this.error(response, 501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.");
      }
      if (!webhook) return this.error(response, method === "PUT" ? 400 : 404, "woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.");
      if (method === "GET") return this.send(response, 200, this.webhookJson(webhook));
      if (method === "PUT") {
        const body = await this.readBody(request);
        if (body.status !== undefined) {
          if (!["active", "paused", "disabled"].includes(String(body.status))) {
            return this.error(response, 400, "woocommerce_rest_shop_webhook_invalid_status", "Webhook status must be valid.");
          }
          webhook.status = body.status as StoreWebhook["status"];
          if (webhook.status === "active") webhook.failure_count = 0;
        }
        return this.send(response, 200, this.webhookJson(webhook));
      }
      if (method === "DELETE") {
        this.webhooks.delete(webhook.id);
        return this.send(response, 200, this.webhookJson(webhook));
      }
    }
    return this.error(response, 404, "rest_no_route", "No route was found matching the URL and request method.");
  }
}

export async function startFakeWooStore() {
  return new FakeWooStore().start();
}
