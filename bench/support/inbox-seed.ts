/**
 * The inbox bench's shop: one shop with 100,000 conversations and 2,000,000 messages, generated in SQL
 * (generate_series) from real support texts so searches have realistic selectivity:
 * - shopper messages are the Bitext customer-support utterances (27k, 27 intents), each conversation about one
 *   intent, with "{{Order Number}}" replaced by an order name of the shop; assistant replies are the Bitext
 *   responses of the same intent (first sentences); staff replies and internal notes from short templates;
 * - 40,000 customers (5% tagged VIP), 90,000 orders with line items, shipments with tracking, refunds and
 *   return requests; 60% of conversations from logged-in customers (some customers with many), a quarter
 *   with a verified order;
 * - statuses: 70% resolved, 8% closed (some merged), 9% open, 7% waiting on the shopper, 6% waiting on staff
 *   (their SLA due from the priority's target, about a third breached at the reference time); priorities
 *   8% urgent, 19% high, 58% normal, 15% low; 12 staff, assignments skewed to the first ones; snoozes, tags,
 *   languages, channels, sentiment, CSAT, read state for two staff members, an action log.
 * Everything is relative to SEED_NOW, so reruns on any day see the same views. Seeded once: a shop whose name
 * carries SHAPE and whose counts match is reused.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type pg from "pg";
import { datasetsDir, stripPlaceholders } from "../retrieval-quality";

export const INBOX_BENCH_DOMAIN = "shopdesk-inboxbench.myshopify.com";
export const CONVERSATIONS = 100_000;
export const MESSAGES = 2_000_000;
const CUSTOMERS = 40_000;
const ORDERS = 90_000;
const STAFF = 12;
const SHAPE = `inbox bench v1: ${CONVERSATIONS} conversations, ${MESSAGES} messages`;
/** The reference time of the seeded shop (the bench queries "now" at this instant). */
export const SEED_NOW = new Date("2026-12-01T15:00:00Z");

const FIRST_NAMES = "Olivia Liam Emma Noah Ava Oliver Sophia Elijah Isabella James Mia William Amelia Benjamin Harper Lucas Evelyn Henry Abigail Alexander Emily Mason Ella Michael Elizabeth Ethan Camila Daniel Luna Jacob Sofia Logan Avery Jackson Mila Levi Aria Sebastian Scarlett Mateo Penelope Jack Layla Owen Chloe Theodore Victoria Aiden Madison Samuel Eleanor Joseph Grace John Nora David Riley Wyatt Zoey Matthew Hannah Luke Hazel Lena Jonas Chiara Lukas Camille Hugo Lucia Pablo".split(" ");
const LAST_NAMES = "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Muller Schmidt Schneider Fischer Weber Dubois Moreau Laurent Rossi Russo Ferrari Bianchi Jansen Visser".split(" ");
const PRODUCTS = [
  "Merino Crew Sweater", "Canvas Weekender Bag", "Trail Runner Sneakers", "Linen Button Shirt", "Wool Beanie", "Leather Card Wallet", "Organic Cotton Tee",
  "Rain Shell Jacket", "Ceramic Pour-Over Set", "Stainless Water Bottle", "Bamboo Cutting Board", "Cashmere Scarf", "Denim Trucker Jacket", "Everyday Backpack",
  "Silk Pillowcase", "Cast Iron Skillet", "Yoga Mat", "Wireless Earbuds", "Desk Lamp", "Scented Candle", "Hiking Socks", "Sunglasses", "Chino Shorts", "Puffer Vest",
];
const STAFF_REPLIES = [
  "Hi, thanks for your patience. I checked order ORDERNO and it left our warehouse yesterday; you should have tracking by tonight.",
  "Sorry about the trouble with ORDERNO. I've asked the warehouse to look into it and will update you here.",
  "I can help with that. Could you send a photo of the damaged item so I can start the replacement?",
  "Your refund for ORDERNO is requested; the bank usually shows it within 5 to 10 business days once the store confirms.",
  "I've updated the shipping address on ORDERNO. The label had not been printed yet, so it will go to the new address.",
  "Thanks for waiting. The courier marked ORDERNO as delivered to the parcel locker; the code is in your email.",
  "No problem at all, I have cancelled the duplicate order. You won't be charged for it.",
  "Happy to help! The exchange is set up, just drop the parcel at any post office with the label I sent.",
  "I'm sorry this took so long. I've added a 15% discount code to your account for the next order.",
  "Could you confirm the email address you used at checkout? I can't find ORDERNO under this one.",
];
const NOTES = [
  "Checked with the warehouse: ORDERNO shipped in two parcels.",
  "Customer called earlier about the same issue. Refund above the auto-approve limit, needs an admin.",
  "@Olivia can you approve the refund for ORDERNO? Damaged on arrival, photos attached in email.",
  "Carrier claim opened for ORDERNO, reference in the shared sheet.",
  "VIP customer, offered free express shipping on the replacement.",
  "Address change requested after the label was printed; asked the carrier to reroute.",
];
const TAGS = ["shipping", "refund", "return", "damaged", "exchange", "vip", "wholesale", "bug", "feedback", "sizing", "address-change", "discount"];

interface Texts {
  shopper: { body: string; intent: string }[];
  replies: { body: string; intent: string }[];
}

/** First sentences of a response, up to about `max` characters. */
function shorten(text: string, max: number) {
  const sentences = text.replace(/\s+/g, " ").match(/[^.!?]+[.!?]+/g) ?? [text];
  let out = "";
  for (const sentence of sentences) {
    if (out && out.length + sentence.length > max) break;
    out += sentence;
  }
  return out.trim().slice(0, max * 2);
}

function loadTexts(): Texts {
  const dir = datasetsDir();
  const utterances = parse(readFileSync(path.join(dir, "bitext-cs-27k/train.csv")), { columns: true }) as { instruction: string; intent: string }[];
  const responses = parse(readFileSync(path.join(dir, "bitext-cs-responses-4k/data.csv")), { columns: true }) as { response: string; intent: string }[];
  const shopper = utterances
    .map((row) => ({ body: stripPlaceholders(row.instruction.replace(/\{\{Order Number\}\}/g, "ORDERNO")), intent: row.intent }))
    .filter((row) => row.body.length > 3);
  const intents = new Set(shopper.map((row) => row.intent));
  const replies = responses
    .filter((row) => intents.has(row.intent))
    .map((row) => ({ body: shorten(stripPlaceholders(row.response.replace(/\{\{(Order Number|Purchase ID Anonymized)\}\}/g, "ORDERNO")), 320), intent: row.intent }))
    .filter((row) => row.body.length > 10);
  // Sorted by intent so each intent's texts are one contiguous range.
  shopper.sort((a, b) => a.intent.localeCompare(b.intent));
  replies.sort((a, b) => a.intent.localeCompare(b.intent));
  return { shopper, replies };
}

export interface BenchShop {
  shopId: string;
  staffIds: string[];
  seeded: { seconds: number } | "reused";
}

async function existing(client: pg.Client): Promise<BenchShop | null> {
  const { rows } = await client.query<{ id: string; name: string }>(`SELECT "id", "name" FROM "Shop" WHERE "domain" = $1`, [INBOX_BENCH_DOMAIN]);
  const shop = rows[0];
  if (!shop || shop.name !== SHAPE) return null;
  const counts = await client.query<{ conversations: number; messages: number }>(
    `SELECT (SELECT count(*) FROM "Conversation" WHERE "shopId" = $1)::int AS "conversations", (SELECT count(*) FROM "Message" WHERE "shopId" = $1)::int AS "messages"`,
    [shop.id],
  );
  if (counts.rows[0]!.conversations !== CONVERSATIONS || counts.rows[0]!.messages !== MESSAGES) return null;
  return { shopId: shop.id, staffIds: await staffIds(client, shop.id), seeded: "reused" };
}

async function staffIds(client: pg.Client, shopId: string) {
  const { rows } = await client.query<{ id: string }>(`SELECT "id" FROM "StaffMember" WHERE "shopId" = $1 ORDER BY "email"`, [shopId]);
  return rows.map((row) => row.id);
}

const log = (line: string) => process.stderr.write(`[inbox] ${line}\n`);

/** The bench shop, seeded now unless an identical one exists. */
export async function ensureInboxBenchShop(client: pg.Client): Promise<BenchShop> {
  const found = await existing(client);
  if (found) return found;
  const started = performance.now();
  log(`seeding ${SHAPE} (a few minutes, once)…`);
  await client.query(`DELETE FROM "Shop" WHERE "domain" = $1`, [INBOX_BENCH_DOMAIN]);
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const at = performance.now();
    const result = await client.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows, ${((performance.now() - at) / 1000).toFixed(1)} s`);
    return result;
  };
  await client.query(`SET synchronous_commit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'; SELECT setseed(0.4242)`);
  const texts = loadTexts();
  const now = SEED_NOW.toISOString();

  const shop = await client.query<{ id: string }>(
    `INSERT INTO "Shop" ("id", "domain", "name", "currency", "timezone", "updatedAt") VALUES (gen_random_uuid(), $1, $2, 'USD', 'America/New_York', now()) RETURNING "id"`,
    [INBOX_BENCH_DOMAIN, SHAPE],
  );
  const shopId = shop.rows[0]!.id;
  await client.query(`INSERT INTO "ShopSettings" ("id", "shopId", "updatedAt") VALUES (gen_random_uuid(), $1, now())`, [shopId]);
  await step(
    "staff",
    `INSERT INTO "StaffMember" ("id", "shopId", "email", "name", "role", "updatedAt")
     SELECT gen_random_uuid(), $1, 'agent' || lpad(g::text, 2, '0') || '@inboxbench.example', ($2::text[])[g] || ' ' || ($3::text[])[g], CASE WHEN g = 1 THEN 'owner' ELSE 'agent' END::"StaffRole", now()
     FROM generate_series(1, ${STAFF}) g`,
    [shopId, FIRST_NAMES, LAST_NAMES],
  );
  const staff = await staffIds(client, shopId);

  // ---- texts
  await client.query(`CREATE TEMP TABLE bench_shopper_text ("i" int PRIMARY KEY, "body" text, "intent" text)`);
  await client.query(`INSERT INTO bench_shopper_text SELECT i - 1, b, t FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(b, t, i)`, [
    texts.shopper.map((row) => row.body),
    texts.shopper.map((row) => row.intent),
  ]);
  await client.query(`CREATE TEMP TABLE bench_reply_text ("i" int PRIMARY KEY, "body" text, "intent" text)`);
  await client.query(`INSERT INTO bench_reply_text SELECT i - 1, b, t FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(b, t, i)`, [
    texts.replies.map((row) => row.body),
    texts.replies.map((row) => row.intent),
  ]);
  // Each intent's range of texts: a conversation draws its shopper and assistant texts from its intent.
  await client.query(`CREATE TEMP TABLE bench_intent AS
    SELECT row_number() OVER (ORDER BY s."intent")::int - 1 AS "intentNo", s."intent", s."first" AS "shopperFirst", s."n" AS "shopperCount", r."first" AS "replyFirst", r."n" AS "replyCount"
    FROM (SELECT "intent", min("i") AS "first", count(*)::int AS "n" FROM bench_shopper_text GROUP BY "intent") s
    JOIN (SELECT "intent", min("i") AS "first", count(*)::int AS "n" FROM bench_reply_text GROUP BY "intent") r USING ("intent")`);

  // ---- customers and orders
  await step(
    "customers",
    `INSERT INTO "Customer" ("id", "shopId", "platform", "externalId", "email", "firstName", "lastName", "phone", "tags", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), $1, 'shopify', 'bench-c-' || g, lower(f || '.' || l || g) || '@example.com', f, l,
       CASE WHEN g % 3 = 0 THEN '+1555' || lpad(g::text, 7, '0') END,
       CASE WHEN g % 20 = 0 THEN ARRAY['VIP'] WHEN g % 7 = 0 THEN ARRAY['newsletter'] ELSE ARRAY[]::text[] END,
       $2::timestamptz - make_interval(days => (g % 900) + 30), $2::timestamptz
     FROM generate_series(1, ${CUSTOMERS}) g,
       LATERAL (SELECT ($3::text[])[1 + (g * 7) % ${FIRST_NAMES.length}] AS f, ($4::text[])[1 + (g * 13) % ${LAST_NAMES.length}] AS l) names`,
    [shopId, now, FIRST_NAMES, LAST_NAMES],
  );
  await client.query(`CREATE TEMP TABLE bench_customer AS SELECT split_part("externalId", '-', 3)::int AS "n", "id", "email", "firstName" FROM "Customer" WHERE "shopId" = $1`, [shopId]);
  await client.query(`CREATE UNIQUE INDEX ON bench_customer ("n")`);
  await client.query(`CREATE TEMP TABLE bench_order_plan AS
    SELECT o, 1 + floor(${CUSTOMERS} * power(random(), 1.6))::int AS "customerN", random() AS "rFin", random() AS "rFul", random() AS "rAge", (20 + floor(random() * 380))::numeric AS "subtotal", gen_random_uuid()::text AS "id"
    FROM generate_series(1, ${ORDERS}) o`);
  await step(
    "orders",
    `INSERT INTO "Order" ("id", "shopId", "customerId", "platform", "externalId", "name", "number", "email", "currency", "subtotal", "shippingTotal", "taxTotal", "total",
        "status", "financialStatus", "fulfillmentStatus", "cancelledAt", "placedAt", "sourceUpdatedAt", "updatedAt")
     SELECT p."id", $1, c."id", 'shopify', 'bench-o-' || p.o, '#' || (1000 + p.o), 1000 + p.o, c."email", 'USD', p."subtotal", 7.5, round(p."subtotal" * 0.08, 2), p."subtotal" + 7.5 + round(p."subtotal" * 0.08, 2),
       CASE WHEN p."rFin" < 0.03 THEN 'cancelled' WHEN p."rAge" > 0.02 THEN 'closed' ELSE 'open' END::"OrderStatus",
       CASE WHEN p."rFin" < 0.03 THEN 'voided' WHEN p."rFin" < 0.07 THEN 'refunded' WHEN p."rFin" < 0.12 THEN 'partially_refunded' WHEN p."rFin" < 0.14 THEN 'pending' ELSE 'paid' END::"FinancialStatus",
       CASE WHEN p."rFin" < 0.03 OR p."rAge" < 0.01 THEN 'unfulfilled' WHEN p."rFul" < 0.03 THEN 'partial' ELSE 'fulfilled' END::"FulfillmentStatus",
       CASE WHEN p."rFin" < 0.03 THEN $2::timestamptz - make_interval(days => floor(p."rAge" * 700)::int) + interval '2 hours' END,
       $2::timestamptz - make_interval(days => floor(p."rAge" * 700)::int, hours => (p.o % 24)),
       $2::timestamptz - make_interval(days => floor(p."rAge" * 700)::int), $2::timestamptz
     FROM bench_order_plan p JOIN bench_customer c ON c."n" = p."customerN"`,
    [shopId, now],
  );
  await step(
    "order line items",
    `INSERT INTO "OrderLineItem" ("id", "shopId", "orderId", "externalId", "title", "variantTitle", "sku", "quantity", "unitPrice", "fulfilledQuantity")
     SELECT gen_random_uuid(), $1, p."id", 'bench-li-' || p.o || '-' || j, ($2::text[])[1 + (p.o * 3 + j * 5) % ${PRODUCTS.length}], (ARRAY['S', 'M', 'L', 'XL'])[1 + (p.o + j) % 4],
       'SKU-' || (1 + (p.o * 3 + j * 5) % ${PRODUCTS.length}), 1 + (p.o + j) % 2, round(p."subtotal" / (1 + p.o % 3) / (1 + (p.o + j) % 2), 2),
       CASE WHEN p."rFin" < 0.03 OR p."rAge" < 0.01 THEN 0 ELSE 1 + (p.o + j) % 2 END
     FROM bench_order_plan p, generate_series(1, 1 + p.o % 3) j`,
    [shopId, PRODUCTS],
  );
  await step(
    "shipments",
    `INSERT INTO "Shipment" ("id", "shopId", "orderId", "platform", "externalId", "status", "carrier", "trackingNumber", "trackingUrl", "trackingNumbers", "trackingUrls",
        "shippedAt", "estimatedDeliveryAt", "deliveredAt", "updatedAt")
     SELECT gen_random_uuid(), $1, p."id", 'shopify', 'bench-s-' || p.o, s.status::"ShipmentStatus", s.carrier, s.tracking, 'https://track.example.com/' || s.tracking, ARRAY[s.tracking], ARRAY['https://track.example.com/' || s.tracking],
       $2::timestamptz - make_interval(days => floor(p."rAge" * 700)::int - 1), $2::timestamptz - make_interval(days => floor(p."rAge" * 700)::int - 5),
       CASE WHEN s.status = 'delivered' THEN $2::timestamptz - make_interval(days => floor(p."rAge" * 700)::int - 4) END, $2::timestamptz
     FROM bench_order_plan p,
       LATERAL (SELECT (ARRAY['UPS', 'USPS', 'FedEx', 'DHL'])[1 + p.o % 4] AS carrier, '1Z' || lpad((p.o * 7919)::text, 12, '0') AS tracking,
                       CASE WHEN p."rAge" < 0.015 THEN 'in_transit' WHEN p."rAge" < 0.02 THEN 'out_for_delivery' ELSE 'delivered' END AS status) s
     WHERE NOT (p."rFin" < 0.03 OR p."rAge" < 0.01)`,
    [shopId, now],
  );
  await step(
    "refunds",
    `INSERT INTO "Refund" ("id", "shopId", "orderId", "platform", "externalId", "amount", "currency", "status", "reason", "processedAt", "updatedAt")
     SELECT gen_random_uuid(), $1, p."id", 'shopify', 'bench-r-' || p.o,
       CASE WHEN p."rFin" < 0.07 THEN p."subtotal" + 7.5 + round(p."subtotal" * 0.08, 2) ELSE round(p."subtotal" / 3, 2) END, 'USD',
       CASE WHEN p.o % 50 = 0 THEN 'pending' ELSE 'succeeded' END::"RefundStatus", (ARRAY['damaged', 'wrong size', 'late delivery', 'changed mind'])[1 + p.o % 4],
       $2::timestamptz - make_interval(days => floor(p."rAge" * 700)::int - 10), $2::timestamptz
     FROM bench_order_plan p WHERE p."rFin" >= 0.03 AND p."rFin" < 0.12`,
    [shopId, now],
  );
  await step(
    "return requests",
    `INSERT INTO "ReturnRequest" ("id", "shopId", "orderId", "status", "reason", "amount", "autoApproved", "updatedAt")
     SELECT gen_random_uuid(), $1, p."id", (ARRAY['requested', 'approved', 'completed', 'rejected'])[1 + p.o % 4]::"ReturnRequestStatus", 'Does not fit', round(p."subtotal" / 2, 2), p.o % 2 = 0, $2::timestamptz
     FROM bench_order_plan p WHERE p."rFul" > 0.97`,
    [shopId, now],
  );

  // ---- conversations
  await step("conversation draws", `CREATE TEMP TABLE bench_draw AS
    SELECT n, gen_random_uuid()::text AS "id", random() AS "rStatus", random() AS "rPrio", random() AS "rAssign", random() AS "rStaff", random() AS "rHandled",
      random() AS "rCust", random() AS "rCustN", random() AS "rLang", random() AS "rChan", random() AS "rTag", random() AS "rTag2", random() AS "rSnooze",
      random() AS "rAge", random() AS "rWait", random() AS "rLen", random() AS "rSent", random() AS "rVerified", random() AS "rCsat", random() AS "rAnon", random() AS "rIntent"
    FROM generate_series(1, ${CONVERSATIONS}) n`);
  await step("conversation plan", `CREATE TEMP TABLE bench_conv AS
    SELECT d.n, d."id", s."status", s."status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper') AS "active", h."handled",
      CASE WHEN d."rPrio" < 0.08 THEN 'urgent' WHEN d."rPrio" < 0.27 THEN 'high' WHEN d."rPrio" < 0.85 THEN 'normal' ELSE 'low' END AS "priority",
      CASE WHEN h."handled" OR (s."status" = 'waiting_on_staff' AND d."rAssign" < 0.5) THEN 1 + floor(10 * power(d."rStaff", 1.3))::int END AS "staffN",
      CASE WHEN d."rCust" < 0.6 THEN 1 + floor(${CUSTOMERS} * power(d."rCustN", 1.4))::int END AS "customerN",
      CASE WHEN d."rLang" < 0.70 THEN 'en' WHEN d."rLang" < 0.78 THEN 'de' WHEN d."rLang" < 0.85 THEN 'fr' WHEN d."rLang" < 0.92 THEN 'es' WHEN d."rLang" < 0.95 THEN 'it' WHEN d."rLang" < 0.98 THEN 'nl' ELSE 'pt' END AS "language",
      CASE WHEN d."rChan" < 0.86 THEN 'web_chat' WHEN d."rChan" < 0.99 THEN 'email' ELSE 'admin' END AS "channel",
      CASE WHEN d."rTag" < 0.20 THEN ARRAY[($1::text[])[1 + floor(12 * power(d."rTag2", 2))::int]]
           WHEN d."rTag" < 0.30 THEN ARRAY[($1::text[])[1 + floor(12 * power(d."rTag2", 2))::int], ($1::text[])[1 + (n % 12)]]
           ELSE ARRAY[]::text[] END AS "tags",
      CASE WHEN d."rSent" < 0.15 THEN -0.4 - d."rSent" * 3 WHEN d."rSent" > 0.85 THEN 0.4 + (d."rSent" - 0.85) * 3 ELSE (d."rSent" - 0.5) * 0.78 END AS "sentiment",
      i."intentNo" AS "intentK", i."intent",
      t."createdAt", t."lastMessageAt", t."waitingSince",
      CASE WHEN s."status" IN ('open', 'waiting_on_shopper') AND d."rSnooze" < 0.04 THEN $2::timestamptz + make_interval(mins => floor(d."rSnooze" * 100000)::int)
           WHEN s."status" IN ('open', 'waiting_on_shopper') AND d."rSnooze" < 0.07 THEN $2::timestamptz - interval '1 day' END AS "snoozedUntil",
      2 + 0 AS "nMsgs", power(d."rLen", 2) + 0.05 AS "weight",
      d."rVerified" < 0.25 AS "verified", d."rAnon", d."rCsat", d."rStatus"
    FROM bench_draw d
    CROSS JOIN LATERAL (SELECT CASE WHEN d."rStatus" < 0.70 THEN 'resolved' WHEN d."rStatus" < 0.78 THEN 'closed' WHEN d."rStatus" < 0.87 THEN 'open'
                                    WHEN d."rStatus" < 0.94 THEN 'waiting_on_shopper' ELSE 'waiting_on_staff' END AS "status") s
    CROSS JOIN LATERAL (SELECT CASE s."status" WHEN 'waiting_on_staff' THEN d."rHandled" < 0.4 WHEN 'waiting_on_shopper' THEN d."rHandled" < 0.5
                                    WHEN 'open' THEN d."rHandled" < 0.1 ELSE d."rHandled" < 0.35 END AS "handled") h
    JOIN bench_intent i ON i."intentNo" = floor(d."rIntent" * (SELECT count(*) FROM bench_intent))::int
    CROSS JOIN LATERAL (
      SELECT w."createdAt", CASE WHEN s."status" = 'waiting_on_staff' THEN w."waiting" ELSE least($2::timestamptz - interval '1 minute', w."createdAt" + make_interval(secs => d."rWait" * 172800)) END AS "lastMessageAt",
             CASE WHEN s."status" = 'waiting_on_staff' THEN w."waiting" END AS "waitingSince"
      FROM (SELECT $2::timestamptz - make_interval(secs => power(d."rWait", 3) * 259200) AS "waiting",
                   $2::timestamptz - make_interval(secs => CASE WHEN s."status" IN ('resolved', 'closed') THEN d."rAge" * 31536000 ELSE d."rAge" * 1209600 END)
                     - CASE WHEN s."status" = 'waiting_on_staff' THEN make_interval(secs => power(d."rWait", 3) * 259200 + 600) ELSE interval '0' END AS "createdAt") w
    ) t`, [TAGS, now]);
  // Exactly MESSAGES messages: each conversation's share by weight (at least 2), the remainder one each.
  await client.query(`WITH total AS (SELECT sum("weight") AS w FROM bench_conv)
    UPDATE bench_conv c SET "nMsgs" = 2 + floor(c."weight" / total.w * ${MESSAGES - 2 * CONVERSATIONS})::int FROM total`);
  await client.query(`WITH missing AS (SELECT ${MESSAGES} - sum("nMsgs") AS m FROM bench_conv) UPDATE bench_conv c SET "nMsgs" = c."nMsgs" + 1 FROM missing WHERE c.n <= missing.m`);
  await client.query(`CREATE UNIQUE INDEX ON bench_conv (n)`);
  await client.query(`CREATE TEMP TABLE bench_first_order AS SELECT DISTINCT ON ("customerN") "customerN", "id", o FROM bench_order_plan ORDER BY "customerN", o DESC`);
  await client.query(`CREATE UNIQUE INDEX ON bench_first_order ("customerN")`);
  // The order a conversation talks about: the customer's latest, or any order for an anonymous shopper.
  await client.query(`ALTER TABLE bench_conv ADD COLUMN "orderName" text`);
  await client.query(`UPDATE bench_conv bc SET "orderName" = '#' || (1000 + coalesce((SELECT fo.o FROM bench_first_order fo WHERE fo."customerN" = bc."customerN"), 1 + abs(hashint4(bc.n)) % ${ORDERS}))`);
  // Without statistics the planner hashes whole temporary tables for every conversation's first and last message.
  await client.query(`ANALYZE bench_conv, bench_first_order, bench_intent, bench_shopper_text, bench_reply_text`);

  // A view cannot take parameters: the staff texts go in temporary tables too.
  await client.query(`CREATE TEMP TABLE bench_note_text AS SELECT i - 1 AS "i", b AS "body" FROM unnest($1::text[]) WITH ORDINALITY AS u(b, i)`, [NOTES]);
  await client.query(`CREATE TEMP TABLE bench_staff_text AS SELECT i - 1 AS "i", b AS "body" FROM unnest($1::text[]) WITH ORDINALITY AS u(b, i)`, [STAFF_REPLIES]);
  // Every message of every conversation, as a view: rows k = 1..nMsgs; author by position, the last one by status.
  await client.query(`CREATE TEMP VIEW bench_message AS
    SELECT c.n, c."id" AS "conversationId", k, c."nMsgs", a."author", a."internal",
      CASE a."author"
        WHEN 'shopper' THEN replace((SELECT t."body" FROM bench_shopper_text t WHERE t."i" = i."shopperFirst" + abs(hashint4(c.n * 64 + k)) % i."shopperCount"), 'ORDERNO', c."orderName")
        WHEN 'assistant' THEN replace((SELECT t."body" FROM bench_reply_text t WHERE t."i" = i."replyFirst" + abs(hashint4(c.n * 64 + k)) % i."replyCount"), 'ORDERNO', c."orderName")
        ELSE replace(CASE WHEN a."internal" THEN (SELECT t."body" FROM bench_note_text t WHERE t."i" = abs(hashint4(c.n + k)) % ${NOTES.length})
                          ELSE (SELECT t."body" FROM bench_staff_text t WHERE t."i" = abs(hashint4(c.n * 7 + k)) % ${STAFF_REPLIES.length}) END, 'ORDERNO', c."orderName")
      END AS "body",
      c."createdAt" + (c."lastMessageAt" - c."createdAt") * ((k - 1)::float8 / greatest(c."nMsgs" - 1, 1)) AS "createdAt",
      c."staffN", c."sentiment", i."intent"
    FROM bench_conv c
    JOIN bench_intent i ON i."intentNo" = c."intentK"
    CROSS JOIN LATERAL generate_series(1, c."nMsgs") k
    CROSS JOIN LATERAL (
      SELECT CASE
        WHEN k = c."nMsgs" THEN CASE WHEN c."status" = 'waiting_on_staff' THEN 'shopper' WHEN c."handled" THEN 'staff' ELSE 'assistant' END
        WHEN c."handled" AND k > 1 AND k % 11 = 0 THEN 'staff'
        WHEN k % 2 = 1 THEN 'shopper'
        WHEN c."handled" AND k > c."nMsgs" / 2 THEN 'staff'
        ELSE 'assistant' END AS "author",
        c."handled" AND k > 1 AND k % 11 = 0 AND k <> c."nMsgs" AS "internal"
    ) a`);

  await step(
    "conversations",
    `INSERT INTO "Conversation" ("id", "shopId", "customerId", "assigneeId", "channel", "status", "priority", "handledByHuman", "subject", "language", "tokenHash",
        "shopperEmail", "shopperName", "verifiedOrderIds", "lastIntent", "sentiment", "escalatedAt", "escalationReason", "firstResponseAt", "lastMessageAt", "resolvedAt",
        "tags", "snoozedUntil", "waitingSince", "slaDueAt", "slaKind", "lastMessagePreview", "lastMessageAuthor", "csatScore", "createdAt", "updatedAt")
     SELECT c."id", $1, cu."id", ($2::text[])[c."staffN"], c."channel"::"Channel", c."status"::"ConversationStatus", c."priority"::"Priority", c."handled",
       left(first."body", 120), c."language", md5('inbox-bench-' || c.n),
       CASE WHEN cu."id" IS NOT NULL THEN cu."email" WHEN c."rAnon" < 0.5 THEN 'shopper' || c.n || '@mail.example' END,
       CASE WHEN cu."id" IS NOT NULL THEN cu."firstName" WHEN c."rAnon" < 0.3 THEN ($3::text[])[1 + c.n % ${FIRST_NAMES.length}] END,
       CASE WHEN c."verified" THEN ARRAY[coalesce(fo."id", (SELECT p."id" FROM bench_order_plan p WHERE p.o = 1 + abs(hashint4(c.n)) % ${ORDERS}))] ELSE ARRAY[]::text[] END,
       c."intent", c."sentiment",
       CASE WHEN c."status" = 'waiting_on_staff' OR c."handled" THEN c."createdAt" + interval '2 minutes' END,
       CASE WHEN c."status" = 'waiting_on_staff' OR c."handled" THEN (ARRAY['requested', 'frustration', 'order_value', 'policy'])[1 + c.n % 4] END,
       c."createdAt" + interval '1 second', c."lastMessageAt", CASE WHEN c."status" IN ('resolved', 'closed') THEN c."lastMessageAt" END,
       c."tags", c."snoozedUntil", c."waitingSince",
       CASE WHEN c."status" = 'waiting_on_staff' THEN c."waitingSince" + CASE c."priority" WHEN 'urgent' THEN interval '30 minutes' WHEN 'high' THEN interval '2 hours' WHEN 'normal' THEN interval '8 hours' ELSE interval '24 hours' END END,
       CASE WHEN c."status" = 'waiting_on_staff' THEN CASE WHEN c."handled" THEN 'next_response' ELSE 'first_response' END END,
       left(last."body", 200), last."author"::"MessageAuthor",
       CASE WHEN c."status" = 'resolved' AND c."rCsat" < 0.3 THEN 1 + floor(power(c."rCsat" / 0.3, 0.5) * 4.99)::int END,
       c."createdAt", c."lastMessageAt"
     FROM bench_conv c
     LEFT JOIN bench_customer cu ON cu."n" = c."customerN"
     LEFT JOIN bench_first_order fo ON fo."customerN" = c."customerN"
     CROSS JOIN LATERAL (SELECT m."body" FROM bench_message m WHERE m.n = c.n AND m.k = 1) first
     CROSS JOIN LATERAL (SELECT m."body", m."author" FROM bench_message m WHERE m.n = c.n AND m.k = c."nMsgs") last`,
    [shopId, staff, FIRST_NAMES],
  );
  // A few closed conversations were merged into the one before them.
  await step(
    "merged",
    `UPDATE "Conversation" c SET "mergedIntoId" = p."id" FROM bench_conv b JOIN bench_conv p ON p.n = b.n - 1
     WHERE c."id" = b."id" AND b."status" = 'closed' AND b."rStatus" < 0.71 AND b.n > 1`,
  );

  // Messages go in without the search index and rebuild it after (much faster than maintaining it row by row).
  const indexes = await client.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'Message' AND indexname <> 'Message_pkey'`,
  );
  for (const index of indexes.rows) await client.query(`DROP INDEX "${index.name}"`);
  await step(
    "messages",
    `INSERT INTO "Message" ("id", "shopId", "conversationId", "author", "visibility", "staffId", "body", "metadata", "intent", "confidence", "sentiment", "createdAt")
     SELECT gen_random_uuid(), $1, m."conversationId", m."author"::"MessageAuthor", CASE WHEN m."internal" THEN 'internal' ELSE 'public' END::"MessageVisibility",
       CASE WHEN m."author" = 'staff' THEN ($2::text[])[coalesce(m."staffN", 1)] END, m."body",
       CASE WHEN m."author" = 'assistant' THEN jsonb_build_object('provider', 'offline', 'quickReplies', '[]'::jsonb,
              'citations', CASE WHEN m.k % 3 = 0 THEN jsonb_build_array(jsonb_build_object('sourceId', 'bench-source', 'chunkId', 'bench-chunk', 'title', 'Shipping policy')) ELSE '[]'::jsonb END,
              'toolCalls', CASE WHEN m."intent" IN ('track_order', 'cancel_order', 'get_refund', 'track_refund', 'change_shipping_address') THEN jsonb_build_array(jsonb_build_object('name', 'lookup_order', 'ok', true)) ELSE '[]'::jsonb END)
            ELSE '{}'::jsonb END,
       CASE WHEN m."author" = 'shopper' THEN m."intent" END, CASE WHEN m."author" = 'shopper' THEN 0.8 END,
       CASE WHEN m."author" = 'shopper' THEN greatest(-1, least(1, m."sentiment" + (abs(hashint4(m.n * 64 + m.k)) % 41 - 20) / 100.0)) END,
       m."createdAt"
     FROM bench_message m`,
    [shopId, staff],
  );
  for (const index of indexes.rows) {
    const at = performance.now();
    await client.query(index.definition);
    log(`  index ${index.name}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
  }

  await step(
    "action log",
    `INSERT INTO "ActionLog" ("id", "shopId", "conversationId", "actor", "action", "targetType", "targetId", "idempotencyKey", "createdAt")
     SELECT gen_random_uuid(), $1, c."id", CASE WHEN j = 1 THEN 'system' ELSE 'staff:' || ($2::text[])[coalesce(c."staffN", 1)] END,
       (ARRAY['conversation.assigned', 'conversation.priority_changed', 'conversation.tagged', 'conversation.resolved'])[j], 'conversation', c."id",
       'inbox-bench-' || c.n || '-' || j, c."createdAt" + make_interval(mins => j * 7)
     FROM bench_conv c, generate_series(1, CASE WHEN c."status" IN ('resolved', 'closed') THEN 4 ELSE 3 END) j
     WHERE c."handled" OR c."staffN" IS NOT NULL`,
    [shopId, staff],
  );
  // Read state of the first two staff members: most active conversations read, some before their last message.
  await step(
    "read state",
    `INSERT INTO "ConversationRead" ("conversationId", "staffId", "lastReadAt")
     SELECT c."id", ($1::text[])[s], c."lastMessageAt" - CASE WHEN abs(hashint4(c.n * 3 + s)) % 4 = 0 THEN interval '1 hour' ELSE interval '0' END
     FROM bench_conv c, generate_series(1, 2) s
     WHERE abs(hashint4(c.n * 5 + s)) % 10 < CASE WHEN c."active" THEN 6 ELSE 3 END`,
    [staff],
  );
  await client.query(`DROP VIEW bench_message; DROP TABLE bench_conv, bench_draw, bench_first_order, bench_order_plan, bench_customer, bench_intent, bench_shopper_text, bench_reply_text, bench_note_text, bench_staff_text`);
  const at = performance.now();
  await client.query(`VACUUM (ANALYZE) "Conversation", "ConversationSearch", "Message", "Customer", "Order", "OrderLineItem", "Shipment", "Refund", "ReturnRequest", "ActionLog", "ConversationRead", "StaffMember"`);
  log(`  vacuum analyze: ${((performance.now() - at) / 1000).toFixed(1)} s`);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  log(`seeded in ${seconds} s`);
  return { shopId, staffIds: staff, seeded: { seconds } };
}
