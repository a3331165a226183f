import type { Platform } from "@prisma/client";
import type { ApplyOutcome, CustomerSnapshot, OrderSnapshot, ProductSnapshot, RefundSnapshot, ShipmentEventSnapshot, ShipmentSnapshot } from "./snapshots";
import { answersInOrder, runWrite, type Sql, type SyncDb, type SyncWrite, stepwise } from "./sql.server";

export type { SyncDb, SyncWrite } from "./sql.server";

/**
 * Writes platform snapshots into the unified model. Every writer follows the same rules, because platforms
 * deliver late, twice and out of order:
 * - a resource is locked for the length of its write (a lock on its key, then its row), so two workers applying
 *   two versions of one order never interleave, and an order's writers always lock the order before its customer;
 * - an older version never overwrites a newer one (the platform's updated_at, or the delivery's trigger time
 *   for resources without one): the upserts only update WHERE the stored version is not newer;
 * - children (refunds, shipments, line items) are upserted by their own ids, so they can arrive before, with
 *   or after their order, and the line items' refunded/fulfilled quantities are recomputed from what is stored.
 * Rows go in as one JSON parameter each (jsonb_to_recordset), so a write is a handful of statements whatever
 * the number of lines. Each writer is also a SyncWrite (`…Write`) that a caller can run with its own bookkeeping
 * in the same transaction (webhook processing); an order's statements all go out at once (see orderWrite).
 */

export interface ApplyOptions {
  /** The delivery's trigger time (X-Shopify-Triggered-At): the version of a payload that has no updated_at. */
  triggeredAt?: Date | null;
}

export interface Applied {
  id: string;
  outcome: ApplyOutcome;
}

/** A child arrived before its order: retry later (the order's own webhook or reconciliation brings it). */
export class OrderNotSyncedError extends Error {
  constructor(readonly orderExternalId: string) {
    super(`order ${orderExternalId} is not synced yet`);
    this.name = "OrderNotSyncedError";
  }
}

function versionOf(updatedAt: Date | null, options: ApplyOptions): Date | null {
  return updatedAt ?? options.triggeredAt ?? null;
}

function compare(stored: Date | null | undefined, incoming: Date | null): ApplyOutcome {
  if (stored === undefined) return "created";
  if (!stored || !incoming) return "updated";
  if (incoming.getTime() < stored.getTime()) return "stale";
  return incoming.getTime() === stored.getTime() ? "unchanged" : "updated";
}

const json = (value: unknown) => JSON.stringify(value);
/** The stored version may be null (rows from before versions were kept): then any version is newer. */
const NEWER = (table: string) => `("${table}"."sourceUpdatedAt" IS NULL OR EXCLUDED."sourceUpdatedAt" IS NULL OR "${table}"."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt")`;

// ---------------------------------------------------------------- Customers

interface CustomerRow {
  id: string;
  redactedAt: Date | null;
  inserted: boolean;
  written: boolean;
  /** The stored version equalled the incoming one (a replay). */
  same: boolean;
}

/** A customer's row from $1 shop, $2 platform, $3 external id, $4–$9 fields, $10 version, $11 created at. */
const INSERT_CUSTOMER = `
  INSERT INTO "Customer" ("id", "shopId", "platform", "externalId", "email", "firstName", "lastName", "phone", "locale", "tags", "sourceUpdatedAt", "createdAt", "updatedAt")`;
const CUSTOMER_VALUES = `gen_random_uuid()::text, $1::text, $2::"Platform", $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text[], $10::timestamptz, COALESCE($11::timestamptz, now()), now()`;
const CUSTOMER_FIELDS = ["email", "firstName", "lastName", "phone", "locale", "tags", "sourceUpdatedAt"];
const CUSTOMER_CONFLICT = `
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    ${CUSTOMER_FIELDS.map((field) => `"${field}" = EXCLUDED."${field}"`).join(", ")}, "updatedAt" = now()
  -- A redacted customer stays redacted: the platform may still send old payloads with their data.
  WHERE "Customer"."redactedAt" IS NULL AND ${NEWER("Customer")}`;

const UPSERT_CUSTOMER = `
  WITH previous AS (SELECT "sourceUpdatedAt" FROM "Customer" WHERE "shopId" = $1 AND "platform" = $2::"Platform" AND "externalId" = $3),
  up AS (${INSERT_CUSTOMER} VALUES (${CUSTOMER_VALUES}) ${CUSTOMER_CONFLICT}
    RETURNING "id", "redactedAt", (xmax = 0) AS "inserted")
  SELECT "id", "redactedAt", "inserted", true AS "written",
    (SELECT "sourceUpdatedAt" FROM previous) IS NOT DISTINCT FROM $10::timestamptz AS "same" FROM up`;

const customerParams = (shopId: string, snapshot: CustomerSnapshot, options: ApplyOptions) => [
  shopId,
  snapshot.platform,
  snapshot.externalId,
  snapshot.email?.toLowerCase() ?? null,
  snapshot.firstName,
  snapshot.lastName,
  snapshot.phone,
  snapshot.locale,
  snapshot.tags,
  versionOf(snapshot.updatedAt, options),
  snapshot.createdAt,
];

async function writeCustomer(sql: Sql, shopId: string, snapshot: CustomerSnapshot, options: ApplyOptions): Promise<CustomerRow> {
  const [row] = await sql.query<CustomerRow>(UPSERT_CUSTOMER, customerParams(shopId, snapshot, options));
  if (row) return row;
  // Not written: a newer (or redacted) version is stored. Its row is locked by the upsert; read it now.
  const [stored] = await sql.query<CustomerRow>(
    `SELECT "id", "redactedAt", false AS "inserted", false AS "written", false AS "same" FROM "Customer" WHERE "shopId" = $1 AND "platform" = $2::"Platform" AND "externalId" = $3`,
    [shopId, snapshot.platform, snapshot.externalId],
  );
  if (!stored) throw new Error(`customer ${snapshot.externalId} could not be written`);
  return stored;
}

const customerOutcome = (row: CustomerRow): ApplyOutcome => (row.inserted ? "created" : !row.written ? "stale" : row.same ? "unchanged" : "updated");

export const customerWrite = (shopId: string, snapshot: CustomerSnapshot, options: ApplyOptions = {}): SyncWrite<Applied> =>
  stepwise(async (sql) => {
    const row = await writeCustomer(sql, shopId, snapshot, options);
    return { id: row.id, outcome: customerOutcome(row) };
  });

export function applyCustomer(db: SyncDb, shopId: string, snapshot: CustomerSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return runWrite(db, customerWrite(shopId, snapshot, options));
}

// ---------------------------------------------------------------- Products

/**
 * Locks a resource by its key before anything else, also when its row does not exist yet: every writer of an
 * order then takes the order first and its customer second, so two writers never wait on each other in a
 * cycle (a new order's writer would otherwise hold the customer while another holds the order).
 */
function lockKey(sql: Sql, table: "Order" | "Product", shopId: string, platform: Platform, externalId: string) {
  return sql.query(`SELECT 1 AS "locked" FROM pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${table}:${shopId}:${platform}:${externalId}`]);
}

/** The lock, then the row read under it (sent together: statements run in the order they are issued). */
async function lockRow(sql: Sql, table: "Order" | "Product", shopId: string, platform: Platform, externalId: string, columns: string) {
  const [, [row]] = await answersInOrder([
    lockKey(sql, table, shopId, platform, externalId),
    sql.query<Record<string, unknown>>(`SELECT ${columns} FROM "${table}" WHERE "shopId" = $1 AND "platform" = $2::"Platform" AND "externalId" = $3 FOR UPDATE`, [
      shopId,
      platform,
      externalId,
    ]),
  ]);
  return row;
}

const UPSERT_PRODUCT = `
  INSERT INTO "Product" ("id", "shopId", "platform", "externalId", "handle", "title", "description", "vendor", "productType", "tags", "status", "currency",
    "priceMin", "priceMax", "available", "imageUrl", "sourceUpdatedAt", "createdAt", "updatedAt")
  VALUES (gen_random_uuid()::text, $1, $2::"Platform", $3, $4, $5, $6, $7, $8, $9::text[], $10, (SELECT "currency" FROM "Shop" WHERE "id" = $1),
    $11::decimal, $12::decimal, $13, $14, $15::timestamptz, COALESCE($16::timestamptz, now()), now())
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "handle" = EXCLUDED."handle", "title" = EXCLUDED."title", "description" = EXCLUDED."description", "vendor" = EXCLUDED."vendor",
    "productType" = EXCLUDED."productType", "tags" = EXCLUDED."tags", "status" = EXCLUDED."status", "currency" = EXCLUDED."currency",
    "priceMin" = EXCLUDED."priceMin", "priceMax" = EXCLUDED."priceMax", "available" = EXCLUDED."available", "imageUrl" = EXCLUDED."imageUrl",
    "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt", "updatedAt" = now()
  WHERE ${NEWER("Product")}
  RETURNING "id"`;

const SYNC_VARIANTS = `
  WITH incoming AS (
    SELECT * FROM jsonb_to_recordset($3::jsonb) AS v("externalId" text, "title" text, "sku" text, "price" decimal, "inventoryQuantity" int, "available" boolean)),
  gone AS (
    -- The payload lists every variant: ones no longer listed were deleted on the platform.
    DELETE FROM "ProductVariant" WHERE "productId" = $2 AND "externalId" NOT IN (SELECT "externalId" FROM incoming))
  INSERT INTO "ProductVariant" ("id", "shopId", "productId", "externalId", "title", "sku", "price", "inventoryQuantity", "available")
  SELECT gen_random_uuid()::text, $1, $2, "externalId", "title", "sku", "price", "inventoryQuantity", "available" FROM incoming
  ON CONFLICT ("productId", "externalId") DO UPDATE SET
    "title" = EXCLUDED."title", "sku" = EXCLUDED."sku", "price" = EXCLUDED."price", "inventoryQuantity" = EXCLUDED."inventoryQuantity", "available" = EXCLUDED."available"`;

export const productWrite = (shopId: string, snapshot: ProductSnapshot, options: ApplyOptions = {}): SyncWrite<Applied> =>
  stepwise(async (sql) => {
    const stored = await lockRow(sql, "Product", shopId, snapshot.platform, snapshot.externalId, `"id", "sourceUpdatedAt"`);
    const version = versionOf(snapshot.updatedAt, options);
    const outcome = compare(stored ? (stored.sourceUpdatedAt as Date | null) : undefined, version);
    if (stored && outcome === "stale") return { id: stored.id as string, outcome };
    const prices = snapshot.variants.map((variant) => Number(variant.price));
    const [row] = await sql.query<{ id: string }>(UPSERT_PRODUCT, [
      shopId,
      snapshot.platform,
      snapshot.externalId,
      snapshot.handle,
      snapshot.title,
      snapshot.description,
      snapshot.vendor,
      snapshot.productType,
      snapshot.tags,
      snapshot.status,
      prices.length ? Math.min(...prices).toFixed(2) : "0",
      prices.length ? Math.max(...prices).toFixed(2) : "0",
      snapshot.variants.some((variant) => variant.available),
      snapshot.imageUrl,
      version,
      snapshot.createdAt,
    ]);
    // No row: a newer version was inserted by a concurrent write after our lock found nothing.
    if (!row) return { id: (await lockRow(sql, "Product", shopId, snapshot.platform, snapshot.externalId, `"id"`))!.id as string, outcome: "stale" };
    await sql.query(SYNC_VARIANTS, [shopId, row.id, json(snapshot.variants)]);
    return { id: row.id, outcome };
  });

export function applyProduct(db: SyncDb, shopId: string, snapshot: ProductSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return runWrite(db, productWrite(shopId, snapshot, options));
}

/** products/delete: the row stays as a tombstone (status "deleted") so a late update cannot resurrect it. */
export const productDeleteWrite = (shopId: string, platform: Platform, externalId: string, deletedAt: Date): SyncWrite<Applied> =>
  stepwise(async (sql) => {
    const stored = await lockRow(sql, "Product", shopId, platform, externalId, `"id", "sourceUpdatedAt"`);
    const outcome = compare(stored ? (stored.sourceUpdatedAt as Date | null) : undefined, deletedAt);
    if (stored && outcome === "stale") return { id: stored.id as string, outcome };
    const [row] = await sql.query<{ id: string }>(
      `INSERT INTO "Product" ("id", "shopId", "platform", "externalId", "handle", "title", "status", "priceMin", "priceMax", "available", "sourceUpdatedAt", "updatedAt")
       VALUES (gen_random_uuid()::text, $1, $2::"Platform", $3, '', '(deleted)', 'deleted', 0, 0, false, $4::timestamptz, now())
       ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET "status" = 'deleted', "available" = false, "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt", "updatedAt" = now()
       WHERE ${NEWER("Product")}
       RETURNING "id"`,
      [shopId, platform, externalId, deletedAt],
    );
    if (!row) return { id: (await lockRow(sql, "Product", shopId, platform, externalId, `"id"`))!.id as string, outcome: "stale" };
    await sql.query(`DELETE FROM "ProductVariant" WHERE "productId" = $1`, [row.id]);
    return { id: row.id, outcome };
  });

export function deleteProduct(db: SyncDb, shopId: string, platform: Platform, externalId: string, deletedAt: Date): Promise<Applied> {
  return runWrite(db, productDeleteWrite(shopId, platform, externalId, deletedAt));
}

// ---------------------------------------------------------------- Orders and their children

/** `(stored columns) IS DISTINCT FROM (incoming)`, for upserts that skip rows the delivery would not change. */
const distinct = (table: string, columns: string[]) =>
  `(${columns.map((column) => `"${table}"."${column}"`).join(", ")}) IS DISTINCT FROM (${columns.map((column) => `EXCLUDED."${column}"`).join(", ")})`;

/**
 * The order's customer ($12–$14: the order's platform, external id and version), unless the order payload is
 * older than the stored order: the customer is then left as the newer order wrote it.
 */
const UPSERT_ORDER_CUSTOMER = `${INSERT_CUSTOMER}
  SELECT ${CUSTOMER_VALUES}
  WHERE NOT EXISTS (SELECT 1 FROM "Order" WHERE "shopId" = $1 AND "platform" = $12::"Platform" AND "externalId" = $13 AND "sourceUpdatedAt" > $14::timestamptz)
  ${CUSTOMER_CONFLICT}
    -- Every order payload carries its customer, mostly as stored: an unchanged row is not rewritten.
    AND ${distinct("Customer", CUSTOMER_FIELDS)}`;

const LINE_FIELDS = [
  "productExternalId",
  "variantExternalId",
  "title",
  "variantTitle",
  "sku",
  "quantity",
  "unitPrice",
  "discountTotal",
  "taxTotal",
  "discountAllocations",
  "taxLines",
];

/**
 * The order and, when it was written, its line items; answers the order's id, whether it was written (not when
 * a newer version is stored) and the version stored before (for the outcome: the statement's snapshot, taken
 * under the order's lock, so exact; the upsert locks the row itself). Its
 * customer is read here ($24, $25: platform and external id; written by the statement before): after
 * customers/redact the platform may still send this order with the shopper's details, and a redacted order or
 * customer drops them.
 */
const UPSERT_ORDER = `
  WITH stored AS (SELECT "sourceUpdatedAt" FROM "Order" WHERE "shopId" = $1 AND "platform" = $2::"Platform" AND "externalId" = $3),
  customer AS (SELECT "id", "redactedAt" FROM "Customer" WHERE "shopId" = $1 AND "platform" = $24::"Platform" AND "externalId" = $25),
  up AS (
    INSERT INTO "Order" ("id", "shopId", "customerId", "platform", "externalId", "name", "number", "email", "currency", "subtotal", "shippingTotal", "taxTotal",
      "discountTotal", "total", "taxesIncluded", "status", "financialStatus", "fulfillmentStatus", "cancelledAt", "cancelReason", "placedAt",
      "sourceUpdatedAt", "shippingAddress", "shippingLines", "redactedAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, $1::text, (SELECT "id" FROM customer), $2::"Platform", $3::text, $4::text, $5::int,
      CASE WHEN (SELECT "redactedAt" FROM customer) IS NULL THEN $6::text END, $7::text, $8::decimal, $9::decimal, $10::decimal, $11::decimal, $12::decimal,
      $13::boolean, $14::"OrderStatus", $15::"FinancialStatus", $16::"FulfillmentStatus", $17::timestamptz, $18::text, $19::timestamptz, $20::timestamptz,
      CASE WHEN (SELECT "redactedAt" FROM customer) IS NULL THEN $21::jsonb END, $22::jsonb,
      CASE WHEN (SELECT "redactedAt" FROM customer) IS NOT NULL THEN now() END, $19::timestamptz, now()
    ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
      "customerId" = EXCLUDED."customerId", "name" = EXCLUDED."name", "number" = EXCLUDED."number", "currency" = EXCLUDED."currency",
      "email" = CASE WHEN "Order"."redactedAt" IS NULL THEN EXCLUDED."email" END,
      "subtotal" = EXCLUDED."subtotal", "shippingTotal" = EXCLUDED."shippingTotal", "taxTotal" = EXCLUDED."taxTotal", "discountTotal" = EXCLUDED."discountTotal",
      "total" = EXCLUDED."total", "taxesIncluded" = EXCLUDED."taxesIncluded", "status" = EXCLUDED."status", "financialStatus" = EXCLUDED."financialStatus",
      "fulfillmentStatus" = EXCLUDED."fulfillmentStatus", "cancelledAt" = EXCLUDED."cancelledAt", "cancelReason" = EXCLUDED."cancelReason",
      "placedAt" = EXCLUDED."placedAt", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt",
      "shippingAddress" = CASE WHEN "Order"."redactedAt" IS NULL THEN EXCLUDED."shippingAddress" END,
      "shippingLines" = EXCLUDED."shippingLines", "redactedAt" = COALESCE("Order"."redactedAt", EXCLUDED."redactedAt"), "updatedAt" = now()
    WHERE "Order"."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt"
    RETURNING "id"),
  lines AS (
    INSERT INTO "OrderLineItem" ("id", "shopId", "orderId", "externalId", "productExternalId", "variantExternalId", "title", "variantTitle", "sku",
      "quantity", "unitPrice", "discountTotal", "taxTotal", "discountAllocations", "taxLines")
    SELECT gen_random_uuid()::text, $1, up."id", l."externalId", l."productExternalId", l."variantExternalId", l."title", l."variantTitle", l."sku",
      l."quantity", l."unitPrice", l."discountTotal", l."taxTotal", COALESCE(l."discountAllocations", '[]'), COALESCE(l."taxLines", '[]')
    FROM up, jsonb_to_recordset($23::jsonb) AS l("externalId" text, "productExternalId" text, "variantExternalId" text, "title" text, "variantTitle" text,
      "sku" text, "quantity" int, "unitPrice" decimal, "discountTotal" decimal, "taxTotal" decimal, "discountAllocations" jsonb, "taxLines" jsonb)
    -- Rows keep their ids (return requests refer to them); most versions of an order leave its lines as they were.
    ON CONFLICT ("orderId", "externalId") DO UPDATE SET ${LINE_FIELDS.map((field) => `"${field}" = EXCLUDED."${field}"`).join(", ")}
    WHERE ${distinct("OrderLineItem", LINE_FIELDS)})
  SELECT "id", true AS "written", EXISTS (SELECT 1 FROM stored) AS "existed", (SELECT "sourceUpdatedAt" FROM stored) AS "storedVersion" FROM up
  UNION ALL
  SELECT "id", false, true, "sourceUpdatedAt" FROM "Order"
  WHERE "shopId" = $1 AND "platform" = $2::"Platform" AND "externalId" = $3 AND NOT EXISTS (SELECT 1 FROM up)`;

/** The children's statements find their order by its key: $1 shop, $2 platform, $3 the order's external id. */
const ORDER_BY_KEY = `o."shopId" = $1 AND o."platform" = $2::"Platform" AND o."externalId" = $3`;

/** Refunds ($4) of the order; an empty currency means the order's. */
const UPSERT_REFUNDS = `
  INSERT INTO "Refund" ("id", "shopId", "orderId", "platform", "externalId", "amount", "currency", "status", "reason", "processedAt", "lineItems", "transactions",
    "createdAt", "updatedAt")
  SELECT gen_random_uuid()::text, o."shopId", o."id", o."platform", r."externalId", r."amount", COALESCE(NULLIF(r."currency", ''), o."currency"),
    r."status"::"RefundStatus", r."reason", r."processedAt", COALESCE(r."lineItems", '[]'), COALESCE(r."transactions", '[]'), COALESCE(r."createdAt", now()), now()
  FROM "Order" AS o, jsonb_to_recordset($4::jsonb) AS r("externalId" text, "amount" decimal, "currency" text, "status" text, "reason" text,
    "processedAt" timestamptz, "lineItems" jsonb, "transactions" jsonb, "createdAt" timestamptz)
  WHERE ${ORDER_BY_KEY}
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "amount" = EXCLUDED."amount", "currency" = EXCLUDED."currency", "status" = EXCLUDED."status", "reason" = EXCLUDED."reason",
    "processedAt" = EXCLUDED."processedAt", "lineItems" = EXCLUDED."lineItems", "transactions" = EXCLUDED."transactions", "updatedAt" = now()
  RETURNING (xmax = 0) AS "inserted"`;

/** Shipments ($5) of the order; $4 is the version of shipments without updated_at (the delivery's trigger time). */
const UPSERT_SHIPMENTS = `
  INSERT INTO "Shipment" ("id", "shopId", "orderId", "platform", "externalId", "status", "carrier", "trackingNumber", "trackingUrl", "trackingNumbers",
    "trackingUrls", "lineItems", "shippedAt", "deliveredAt", "estimatedDeliveryAt", "sourceUpdatedAt", "createdAt", "updatedAt")
  SELECT gen_random_uuid()::text, o."shopId", o."id", o."platform", s."externalId", s."status"::"ShipmentStatus", s."carrier", s."trackingNumbers"->>0,
    s."trackingUrls"->>0, ARRAY(SELECT jsonb_array_elements_text(s."trackingNumbers")), ARRAY(SELECT jsonb_array_elements_text(s."trackingUrls")),
    COALESCE(s."lineItems", '[]'), s."shippedAt", s."deliveredAt", s."estimatedDeliveryAt", COALESCE(s."updatedAt", $4::timestamptz), COALESCE(s."shippedAt", now()), now()
  FROM "Order" AS o, jsonb_to_recordset($5::jsonb) AS s("externalId" text, "status" text, "carrier" text, "trackingNumbers" jsonb, "trackingUrls" jsonb,
    "lineItems" jsonb, "shippedAt" timestamptz, "deliveredAt" timestamptz, "estimatedDeliveryAt" timestamptz, "updatedAt" timestamptz)
  WHERE ${ORDER_BY_KEY}
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "status" = EXCLUDED."status", "carrier" = EXCLUDED."carrier", "trackingNumber" = EXCLUDED."trackingNumber", "trackingUrl" = EXCLUDED."trackingUrl",
    "trackingNumbers" = EXCLUDED."trackingNumbers", "trackingUrls" = EXCLUDED."trackingUrls", "lineItems" = EXCLUDED."lineItems",
    "shippedAt" = EXCLUDED."shippedAt",
    -- Fulfillment payloads rarely carry these; carrier events (applyShipmentEvents) fill them and are kept.
    "deliveredAt" = COALESCE(EXCLUDED."deliveredAt", "Shipment"."deliveredAt"),
    "estimatedDeliveryAt" = COALESCE(EXCLUDED."estimatedDeliveryAt", "Shipment"."estimatedDeliveryAt"),
    "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt", "updatedAt" = now()
  WHERE ${NEWER("Shipment")}
  RETURNING "id"`;

/**
 * Refunded and fulfilled quantities follow from the stored refunds and (not cancelled or failed) shipments; only
 * lines whose quantities changed are rewritten.
 */
const RECOMPUTE_LINE_QUANTITIES = `
  WITH o AS (SELECT o."id" FROM "Order" AS o WHERE ${ORDER_BY_KEY}),
  refunded AS (
    SELECT item->>'lineItemExternalId' AS "line", sum((item->>'quantity')::int) AS "quantity"
    FROM o, "Refund" AS refund, jsonb_array_elements(refund."lineItems") AS item
    WHERE refund."orderId" = o."id" AND refund."status" IN ('succeeded', 'pending') GROUP BY 1),
  fulfilled AS (
    SELECT item->>'lineItemExternalId' AS "line", sum((item->>'quantity')::int) AS "quantity"
    FROM o, "Shipment" AS shipment, jsonb_array_elements(shipment."lineItems") AS item
    WHERE shipment."orderId" = o."id" AND shipment."status" NOT IN ('cancelled', 'failure') GROUP BY 1),
  counted AS (
    SELECT l."id", COALESCE(r."quantity", 0) AS "refunded", COALESCE(f."quantity", 0) AS "fulfilled"
    FROM o JOIN "OrderLineItem" AS l ON l."orderId" = o."id"
    LEFT JOIN refunded AS r ON r."line" = l."externalId"
    LEFT JOIN fulfilled AS f ON f."line" = l."externalId")
  UPDATE "OrderLineItem" AS line SET "refundedQuantity" = counted."refunded", "fulfilledQuantity" = counted."fulfilled"
  FROM counted
  WHERE line."id" = counted."id" AND (line."refundedQuantity", line."fulfilledQuantity") IS DISTINCT FROM (counted."refunded", counted."fulfilled")`;

type OrderKey = [shopId: string, platform: Platform, externalId: string];

const writeRefunds = (sql: Sql, key: OrderKey, refunds: RefundSnapshot[]) => sql.query<{ inserted: boolean }>(UPSERT_REFUNDS, [...key, json(refunds)]);

const writeShipments = (sql: Sql, key: OrderKey, shipments: ShipmentSnapshot[], options: ApplyOptions) =>
  sql.query<{ id: string }>(UPSERT_SHIPMENTS, [...key, options.triggeredAt ?? null, json(shipments)]);

const none = Promise.resolve([]);

/**
 * An order with its customer, line items, refunds and shipments. Every statement goes out at once (one round trip
 * on a pipelined connection): each one decides in SQL from what the ones before it left, so none waits for an
 * answer. The order's lock is taken first; its customer is written unless the order payload is stale; the order
 * and its lines only when not older than the stored version. Children carry their own versions: even a stale
 * order payload may hold a refund or shipment we lack. Quantities are recomputed last, from what is stored.
 */
export function orderWrite(shopId: string, snapshot: OrderSnapshot, options: ApplyOptions = {}): SyncWrite<Applied> {
  const version = versionOf(snapshot.updatedAt, options) ?? snapshot.placedAt;
  const key: OrderKey = [shopId, snapshot.platform, snapshot.externalId];
  const customer = snapshot.customer;
  return {
    allAtOnce: true,
    issue: async (sql) => {
      const [, , [order]] = await answersInOrder([
        lockKey(sql, "Order", ...key),
        customer ? sql.query(UPSERT_ORDER_CUSTOMER, [...customerParams(shopId, customer, options), snapshot.platform, snapshot.externalId, version]) : none,
        sql.query<{ id: string; written: boolean; existed: boolean; storedVersion: Date | null }>(UPSERT_ORDER, [
          ...key,
          snapshot.name,
          snapshot.number,
          snapshot.email?.toLowerCase() ?? null,
          snapshot.currency,
          snapshot.subtotal,
          snapshot.shippingTotal,
          snapshot.taxTotal,
          snapshot.discountTotal,
          snapshot.total,
          snapshot.taxesIncluded,
          snapshot.status,
          snapshot.financialStatus,
          snapshot.fulfillmentStatus,
          snapshot.cancelledAt,
          snapshot.cancelReason,
          snapshot.placedAt,
          version,
          snapshot.shippingAddress ? json(snapshot.shippingAddress) : null,
          json(snapshot.shippingLines),
          json(snapshot.lineItems),
          customer?.platform ?? null,
          customer?.externalId ?? null,
        ]),
        snapshot.refunds.length > 0 ? writeRefunds(sql, key, snapshot.refunds) : none,
        snapshot.shipments.length > 0 ? writeShipments(sql, key, snapshot.shipments, options) : none,
        sql.query(RECOMPUTE_LINE_QUANTITIES, key),
      ]);
      if (!order) throw new Error(`order ${snapshot.externalId} could not be written`);
      return { id: order.id, outcome: order.written ? compare(order.existed ? order.storedVersion : undefined, version) : "stale" };
    },
  };
}

export function applyOrder(db: SyncDb, shopId: string, snapshot: OrderSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return runWrite(db, orderWrite(shopId, snapshot, options));
}

async function lockOrder(sql: Sql, key: OrderKey) {
  const order = await lockRow(sql, "Order", ...key, `"id"`);
  if (!order) throw new OrderNotSyncedError(key[2]);
  return order as { id: string };
}

/** A refund on its own (refunds/create, a write-back's result). An empty currency means the order's. */
export const refundWrite = (shopId: string, platform: Platform, orderExternalId: string, refund: RefundSnapshot): SyncWrite<Applied> =>
  stepwise(async (sql) => {
    const key: OrderKey = [shopId, platform, orderExternalId];
    const order = await lockOrder(sql, key);
    const [[written]] = await answersInOrder([writeRefunds(sql, key, [refund]), sql.query(RECOMPUTE_LINE_QUANTITIES, key)]);
    return { id: order.id, outcome: written?.inserted ? "created" : "unchanged" };
  });

export function applyRefund(db: SyncDb, shopId: string, platform: Platform, orderExternalId: string, refund: RefundSnapshot): Promise<Applied> {
  return runWrite(db, refundWrite(shopId, platform, orderExternalId, refund));
}

export const shipmentWrite = (shopId: string, platform: Platform, orderExternalId: string, shipment: ShipmentSnapshot, options: ApplyOptions = {}): SyncWrite<Applied> =>
  stepwise(async (sql) => {
    const key: OrderKey = [shopId, platform, orderExternalId];
    const order = await lockOrder(sql, key);
    const [written] = await answersInOrder([writeShipments(sql, key, [shipment], options), sql.query(RECOMPUTE_LINE_QUANTITIES, key)]);
    return { id: order.id, outcome: written.length > 0 ? "updated" : "stale" };
  });

export function applyShipment(db: SyncDb, shopId: string, platform: Platform, orderExternalId: string, shipment: ShipmentSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return runWrite(db, shipmentWrite(shopId, platform, orderExternalId, shipment, options));
}

/**
 * Carrier events of a shipment (Shopify fulfillment events): stored newest first; the newest sets the
 * shipment's status, delivery time and estimate. Events are merged by time and status, so replays add nothing.
 */
export function applyShipmentEvents(db: SyncDb, shopId: string, platform: Platform, shipmentExternalId: string, events: ShipmentEventSnapshot[]) {
  return runWrite(
    db,
    stepwise(async (sql) => {
    const [shipment] = await sql.query<{ id: string; orderId: string; events: unknown }>(
      `SELECT "id", "orderId", "events" FROM "Shipment" WHERE "shopId" = $1 AND "platform" = $2::"Platform" AND "externalId" = $3`,
      [shopId, platform, shipmentExternalId],
    );
    if (!shipment) throw new Error(`shipment ${shipmentExternalId} is not synced yet`);
    await sql.query(`SELECT 1 FROM "Order" WHERE "id" = $1 FOR UPDATE`, [shipment.orderId]);
    type Stored = { at: string; status: string; location: string | null; message: string | null };
    const byKey = new Map<string, Stored>();
    const storedEvents = (typeof shipment.events === "string" ? JSON.parse(shipment.events) : shipment.events) as Stored[] | null;
    for (const event of Array.isArray(storedEvents) ? storedEvents : []) byKey.set(`${event.at}|${event.status}`, event);
    for (const event of events) {
      const entry = { at: event.at.toISOString(), status: event.status, location: event.location, message: event.message };
      byKey.set(`${entry.at}|${entry.status}`, entry);
    }
    const merged = [...byKey.values()].sort((a, b) => b.at.localeCompare(a.at));
    const delivered = merged.find((event) => event.status === "delivered");
    const estimate = [...events].sort((a, b) => b.at.getTime() - a.at.getTime()).find((event) => event.estimatedDeliveryAt)?.estimatedDeliveryAt ?? null;
    await sql.query(
      `UPDATE "Shipment" SET "events" = $2::jsonb, "status" = COALESCE($3::"ShipmentStatus", "status"), "deliveredAt" = COALESCE($4::timestamptz, "deliveredAt"),
         "estimatedDeliveryAt" = COALESCE($5::timestamptz, "estimatedDeliveryAt"), "updatedAt" = now()
       WHERE "id" = $1`,
      [shipment.id, json(merged), merged[0]?.status ?? null, delivered ? delivered.at : null, estimate],
    );
    return merged.length;
    }),
  );
}
