/**
 * The dashboard bench's shop: 100,000 conversations and exactly 1,000,000 messages over the last 90 days (a full
 * day's worth, 1,111 conversations, today), generated in SQL with generate_series in a minute or two:
 * - 30,000 customers, half the conversations from logged-in customers (so returning shoppers and influenced orders
 *   are looked up for real), the rest guests with an e-mail; 60,000 orders over the last 100 days;
 * - each conversation 10 messages alternating shopper and assistant; kinds: 55% answered by the assistant (a third
 *   ending with "Thanks!"), 25% handed off (routed in the action log, staff replying from the 4th message after
 *   2 minutes to 8 hours), 5% unanswered (the assistant's "I couldn't find an answer"), 5% the shopper coming back
 *   after 30 hours, 5% taken over by staff, 5% closed early; 20% rated; four languages, ten intents, two channels.
 * Triggers are off while loading (the inbox's word index is not filled: this shop is for the dashboard only).
 * Seeded once a day: a shop whose name carries SHAPE and today's date, with the right counts, is reused.
 */
import type pg from "pg";
import { hasPhrases, phrase } from "~/modules/assistant";

export const DASHBOARD_BENCH_DOMAIN = "shopdesk-dashboardbench.myshopify.com";
export const CONVERSATIONS = 100_000;
export const MESSAGES_PER_CONVERSATION = 10;
export const MESSAGES = CONVERSATIONS * MESSAGES_PER_CONVERSATION;
const CUSTOMERS = 30_000;
const ORDERS = 60_000;
const TIME_ZONE = "America/New_York";

const INTENTS = ["track_order", "get_refund", "delivery_options", "product_question", "cancel_order", "change_shipping_address", "check_payment_methods", "track_refund", "complaint", "other"];
const SHOPPER = [
  "Where is my order? It was supposed to arrive yesterday.",
  "I'd like to return the boots, they are too small.",
  "How much is shipping to Canada?",
  "Is the rain shell fully waterproof?",
  "Please cancel my order, I ordered the wrong size.",
  "Can I change the delivery address?",
  "Do you take PayPal?",
  "When will I get my refund?",
  "The zipper broke after a week, this is disappointing.",
  "Do you have gift cards?",
  "And how long does that take?",
  "Can I also get a different colour?",
];
const ASSISTANT = [
  "Your order is on its way with UPS and should arrive within 2 business days.",
  "You can return unused items within 30 days; I've started the return and e-mailed the label.",
  "Shipping to Canada is $19.95, free over $200.",
  "Yes, it has a 2.5-layer waterproof membrane with taped seams.",
  "Your order hasn't shipped yet, so I've cancelled it.",
  "I've asked the team to update the address before it ships.",
  "We accept Visa, Mastercard, PayPal, Apple Pay and Shop Pay.",
  "The refund was issued; banks show it within 5-10 business days.",
];
const STAFF = ["Hi! I checked with the warehouse and sorted it out.", "Thanks for your patience, a replacement is on its way.", "I've refunded the shipping cost as well."];

const log = (line: string) => process.stderr.write(`[dashboard] ${line}\n`);

export interface DashboardBenchShop {
  shopId: string;
  seeded: { seconds: number } | "reused";
}

function shapeOf(day: string) {
  return `dashboard bench v2: ${CONVERSATIONS} conversations, ${MESSAGES} messages, seeded ${day}`;
}

/** The bench shop, seeded now unless today's identical one exists. */
export async function ensureDashboardBenchShop(client: pg.Client): Promise<DashboardBenchShop> {
  const { rows: todayRows } = await client.query<{ day: string }>(`SELECT to_char((now() AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS "day"`, [TIME_ZONE]);
  const shape = shapeOf(todayRows[0]!.day);
  const { rows } = await client.query<{ id: string; name: string }>(`SELECT "id", "name" FROM "Shop" WHERE "domain" = $1`, [DASHBOARD_BENCH_DOMAIN]);
  if (rows[0]?.name === shape) {
    const counts = await client.query<{ messages: number }>(`SELECT count(*)::int AS "messages" FROM "Message" WHERE "shopId" = $1`, [rows[0].id]);
    if (counts.rows[0]!.messages === MESSAGES) return { shopId: rows[0].id, seeded: "reused" };
  }
  const started = performance.now();
  log(`seeding ${shape}…`);
  await client.query(`DELETE FROM "Shop" WHERE "domain" = $1`, [DASHBOARD_BENCH_DOMAIN]);
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const at = performance.now();
    const result = await client.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows, ${((performance.now() - at) / 1000).toFixed(1)} s`);
  };
  await client.query(`SET synchronous_commit = off; SET work_mem = '256MB'; SELECT setseed(0.1313)`);
  const shop = await client.query<{ id: string }>(
    `INSERT INTO "Shop" ("id", "domain", "name", "currency", "timezone", "updatedAt") VALUES (gen_random_uuid(), $1, $2, 'USD', $3, now()) RETURNING "id"`,
    [DASHBOARD_BENCH_DOMAIN, shape, TIME_ZONE],
  );
  const shopId = shop.rows[0]!.id;
  await client.query(`INSERT INTO "ShopSettings" ("id", "shopId", "updatedAt") VALUES (gen_random_uuid(), $1, now())`, [shopId]);
  // Triggers off while loading: the foreign keys hold by construction, and the inbox's word index is not needed.
  await client.query(`SET session_replication_role = replica`);
  try {
    await step(
      "staff",
      `INSERT INTO "StaffMember" ("id", "shopId", "email", "name", "updatedAt")
       SELECT gen_random_uuid(), $1, 'agent' || g || '@dashboardbench.example', 'Agent ' || g, now() FROM generate_series(1, 8) g`,
      [shopId],
    );
    await step(
      "customers",
      `INSERT INTO "Customer" ("id", "shopId", "platform", "externalId", "email", "firstName", "lastName", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), $1, 'shopify', 'dash-c-' || g, 'customer' || g || '@example.com', 'First' || g, 'Last' || g, now(), now()
       FROM generate_series(1, ${CUSTOMERS}) g`,
      [shopId],
    );
    await client.query(`CREATE TEMP TABLE dash_customer AS SELECT split_part("externalId", '-', 3)::int AS "n", "id", "email" FROM "Customer" WHERE "shopId" = $1`, [shopId]);
    await client.query(`CREATE UNIQUE INDEX ON dash_customer ("n")`);
    await step(
      "orders",
      `INSERT INTO "Order" ("id", "shopId", "customerId", "platform", "externalId", "name", "number", "email", "currency", "subtotal", "total", "status", "placedAt", "sourceUpdatedAt", "updatedAt")
       SELECT gen_random_uuid(), $1, c."id", 'shopify', 'dash-o-' || x.g, '#' || (1000 + x.g), 1000 + x.g, c."email", 'USD', x.t, x.t,
         CASE WHEN x.g % 40 = 0 THEN 'cancelled' ELSE 'closed' END::"OrderStatus", x.p, x.p, now()
       FROM (SELECT g, round((20 + random() * 300)::numeric, 2) AS t, now() - random() * interval '100 days' AS p, 1 + floor(random() * ${CUSTOMERS})::int AS cn
             FROM generate_series(1, ${ORDERS}) g) x
       JOIN dash_customer c ON c."n" = x.cn`,
      [shopId],
    );
    // The plan: when each conversation starts, what kind it is, who writes. Today gets a full day's worth.
    await client.query(
      `CREATE TEMP TABLE dash_plan AS
       WITH bounds AS (SELECT now() AS "now", (date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1) AS "todayStart")
       SELECT g AS "n", gen_random_uuid()::text AS "id",
         CASE WHEN g <= ${Math.round(CONVERSATIONS / 90)} THEN b."todayStart" + random() * (b."now" - b."todayStart" - interval '10 minutes')
              ELSE b."todayStart" - random() * interval '89 days' END AS "created",
         random() AS "rKind", random() AS "rCsat", random() AS "rWho", random() AS "rLang", (1 + floor(random() * ${CUSTOMERS}))::int AS "customerN",
         (interval '2 minutes' + random() * random() * interval '8 hours') AS "staffDelay", b."now"
       FROM generate_series(1, ${CONVERSATIONS}) g, bounds b`,
      [TIME_ZONE],
    );
    await client.query(`ALTER TABLE dash_plan ADD COLUMN "kind" text`);
    await client.query(
      `UPDATE dash_plan SET "kind" = CASE WHEN "rKind" < 0.55 THEN 'automated' WHEN "rKind" < 0.80 THEN 'handoff' WHEN "rKind" < 0.85 THEN 'unanswered'
         WHEN "rKind" < 0.90 AND "created" < "now" - interval '3 days' THEN 'came_back' WHEN "rKind" < 0.95 THEN 'takeover' ELSE 'closed' END,
         -- A staff reply today still lands before now.
         "staffDelay" = LEAST("staffDelay", GREATEST(interval '0', ("now" - "created" - interval '7 minutes') / 2))`,
    );
    const offset = (j: string) =>
      `((${j} - 1) * interval '40 seconds' + CASE WHEN p."kind" = 'came_back' AND ${j} >= 5 THEN interval '30 hours' ELSE interval '0' END
        + CASE WHEN p."kind" IN ('handoff', 'takeover') AND ${j} >= 4 THEN p."staffDelay" ELSE interval '0' END)`;
    const author = (j: string) =>
      `(CASE WHEN ${j} % 2 = 1 THEN 'shopper' WHEN p."kind" IN ('handoff', 'takeover') AND ${j} >= 4 THEN 'staff' ELSE 'assistant' END)`;
    const notFound = ["en", "fr", "de", "es"].filter(hasPhrases).map((language) => phrase(language, "notFound"));
    await step(
      "conversations",
      `INSERT INTO "Conversation" ("id", "shopId", "customerId", "channel", "status", "priority", "handledByHuman", "subject", "language", "tokenHash", "shopperEmail",
         "lastIntent", "sentiment", "escalatedAt", "escalationReason", "firstResponseAt", "lastMessageAt", "lastMessagePreview", "lastMessageAuthor", "resolvedAt",
         "csatScore", "createdAt", "updatedAt")
       SELECT p."id", $1, CASE WHEN p."rWho" < 0.5 THEN c."id" END, CASE WHEN p."n" % 10 = 0 THEN 'email' ELSE 'web_chat' END::"Channel",
         CASE WHEN p."kind" = 'closed' THEN 'closed' WHEN p."created" > p."now" - interval '1 day' AND p."n" % 3 = 0 THEN 'waiting_on_shopper' ELSE 'resolved' END::"ConversationStatus",
         'normal', p."kind" IN ('handoff', 'takeover'), ($3::text[])[1 + p."n" % ${SHOPPER.length}],
         CASE WHEN p."rLang" < 0.7 THEN 'en' WHEN p."rLang" < 0.8 THEN 'fr' WHEN p."rLang" < 0.9 THEN 'de' ELSE 'es' END,
         'dash-' || p."id", CASE WHEN p."rWho" >= 0.5 THEN 'guest' || p."n" || '@example.net' END,
         ($2::text[])[1 + p."n" % ${INTENTS.length}], round((random() * 2 - 1)::numeric, 2)::float8,
         CASE WHEN p."kind" = 'handoff' THEN p."created" + interval '2 minutes' END, CASE WHEN p."kind" = 'handoff' THEN 'requested' END,
         p."created" + interval '40 seconds', p."created" + ${offset("10")}, 'latest words', ${author("10")}::"MessageAuthor",
         CASE WHEN p."created" > p."now" - interval '1 day' AND p."n" % 3 = 0 THEN NULL ELSE p."created" + ${offset("10")} + interval '5 minutes' END,
         CASE WHEN p."rCsat" < 0.2 THEN 1 + floor(random() * 5)::int END, p."created", p."created" + ${offset("10")}
       FROM dash_plan p JOIN dash_customer c ON c."n" = p."customerN"`,
      [shopId, INTENTS, SHOPPER],
    );
    await step(
      "messages",
      `INSERT INTO "Message" ("id", "shopId", "conversationId", "author", "visibility", "body", "intent", "createdAt")
       SELECT gen_random_uuid(), $1, p."id", ${author("j")}::"MessageAuthor", 'public',
         CASE
           WHEN ${author("j")} = 'shopper' AND j = 9 AND p."kind" = 'automated' AND p."n" % 3 = 0 THEN 'Thanks!'
           WHEN ${author("j")} = 'shopper' THEN ($2::text[])[1 + (p."n" * 7 + j) % ${SHOPPER.length}]
           WHEN ${author("j")} = 'staff' THEN ($4::text[])[1 + (p."n" + j) % ${STAFF.length}]
           WHEN p."kind" = 'unanswered' AND j = 2 THEN ($5::text[])[1 + p."n" % ${notFound.length}]
           ELSE ($3::text[])[1 + (p."n" + j) % ${ASSISTANT.length}] END,
         CASE WHEN j % 2 = 1 THEN ($6::text[])[1 + p."n" % ${INTENTS.length}] END,
         p."created" + ${offset("j")}
       FROM dash_plan p CROSS JOIN generate_series(1, ${MESSAGES_PER_CONVERSATION}) j`,
      [shopId, SHOPPER, ASSISTANT, STAFF, notFound, INTENTS],
    );
    await step(
      "action log",
      `INSERT INTO "ActionLog" ("id", "shopId", "conversationId", "actor", "action", "targetType", "targetId", "idempotencyKey", "createdAt")
       SELECT gen_random_uuid(), $1, p."id", 'system', 'conversation.routed', 'conversation', p."id", 'route:' || p."id", p."created" + interval '2 minutes'
       FROM dash_plan p WHERE p."kind" = 'handoff'`,
      [shopId],
    );
  } finally {
    await client.query(`SET session_replication_role = origin`);
  }
  await step("analyze", `ANALYZE "Conversation", "Message", "ActionLog", "Order", "Customer"`);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  log(`seeded in ${seconds} s`);
  return { shopId, seeded: { seconds } };
}
