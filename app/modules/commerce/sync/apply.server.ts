import type { Platform } from "@prisma/client";
import type { ApplyOutcome, CustomerSnapshot, OrderSnapshot, ProductSnapshot, RefundSnapshot, ShipmentEventSnapshot, ShipmentSnapshot } from "./snapshots";
import { inTransaction, type Sql, type SyncDb } from "./sql.server";

export type { SyncDb } from "./sql.server";

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
 * the number of lines.
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

const UPSERT_CUSTOMER = `
  WITH previous AS (SELECT "sourceUpdatedAt" FROM "Customer" WHERE "shopId" = $1 AND "platform" = $2::"Platform" AND "externalId" = $3),
  up AS (
    INSERT INTO "Customer" ("id", "shopId", "platform", "externalId", "email", "firstName", "lastName", "phone", "locale", "tags", "sourceUpdatedAt", "createdAt", "updatedAt")
    VALUES (gen_random_uuid()::text, $1, $2::"Platform", $3, $4, $5, $6, $7, $8, $9::text[], $10::timestamptz, COALESCE($11::timestamptz, now()), now())
    ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
      "email" = EXCLUDED."email", "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName", "phone" = EXCLUDED."phone",
      "locale" = EXCLUDED."locale", "tags" = EXCLUDED."tags", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt", "updatedAt" = now()
    -- A redacted customer stays redacted: the platform may still send old payloads with their data.
    WHERE "Customer"."redactedAt" IS NULL AND ${NEWER("Customer")}
    RETURNING "id", "redactedAt", (xmax = 0) AS "inserted")
  SELECT "id", "redactedAt", "inserted", true AS "written",
    (SELECT "sourceUpdatedAt" FROM previous) IS NOT DISTINCT FROM $10::timestamptz AS "same" FROM up`;

async function writeCustomer(sql: Sql, shopId: string, snapshot: CustomerSnapshot, options: ApplyOptions): Promise<CustomerRow> {
  const version = versionOf(snapshot.updatedAt, options);
  const [row] = await sql.query<CustomerRow>(UPSERT_CUSTOMER, [
    shopId,
    snapshot.platform,
    snapshot.externalId,
    snapshot.email?.toLowerCase() ?? null,
    snapshot.firstName,
    snapshot.lastName,
    snapshot.phone,
    snapshot.locale,
    snapshot.tags,
    version,
    snapshot.createdAt,
  ]);
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

export function applyCustomer(db: SyncDb, shopId: string, snapshot: CustomerSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return inTransaction(db, async (sql) => {
    const row = await writeCustomer(sql, shopId, snapshot, options);
    return { id: row.id, outcome: customerOutcome(row) };
  });
}

// ---------------------------------------------------------------- Products

/**
 * Locks a resource by its key before anything else, also when its row does not exist yet: every writer of an
 * order then takes the order first and its customer second, so two writers never wait on each other in a
 * cycle (a new order's writer would otherwise hold the customer while another holds the order).
 */
async function lockKey(sql: Sql, table: "Order" | "Product", shopId: string, platform: Platform, externalId: string) {
  await sql.query(`SELECT 1 AS "locked" FROM pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${table}:${shopId}:${platform}:${externalId}`]);
}

async function lockRow(sql: Sql, table: "Order" | "Product", shopId: string, platform: Platform, externalId: string, columns: string) {
  await lockKey(sql, table, shopId, platform, externalId);
  const [row] = await sql.query<Record<string, unknown>>(
    `SELECT ${columns} FROM "${table}" WHERE "shopId" = $1 AND "platform" = $2::"Platform" AND "externalId" = $3 FOR UPDATE`,
    [shopId, platform, externalId],
  );
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

export function applyProduct(db: SyncDb, shopId: string, snapshot: ProductSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return inTransaction(db, async (sql) => {
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
}

/** products/delete: the row stays as a tombstone (status "deleted") so a late update cannot resurrect it. */
export function deleteProduct(db: SyncDb, shopId: string, platform: Platform, externalId: string, deletedAt: Date): Promise<Applied> {
  return inTransaction(db, async (sql) => {
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
}

// ---------------------------------------------------------------- Orders and their children

const UPSERT_ORDER = `
  INSERT INTO "Order" ("id", "shopId", "customerId", "platform", "externalId", "name", "number", "email", "currency", "subtotal", "shippingTotal", "taxTotal",
    "discountTotal", "total", "taxesIncluded", "status", "financialStatus", "fulfillmentStatus", "cancelledAt", "cancelReason", "placedAt",
    "sourceUpdatedAt", "shippingAddress", "shippingLines", "redactedAt", "createdAt", "updatedAt")
  VALUES (gen_random_uuid()::text, $1, $2, $3::"Platform", $4, $5, $6::int, $7, $8, $9::decimal, $10::decimal, $11::decimal, $12::decimal, $13::decimal, $14,
    $15::"OrderStatus", $16::"FinancialStatus", $17::"FulfillmentStatus", $18::timestamptz, $19, $20::timestamptz, $21::timestamptz, $22::jsonb, $23::jsonb,
    $24::timestamptz, $20::timestamptz, now())
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "customerId" = EXCLUDED."customerId", "name" = EXCLUDED."name", "number" = EXCLUDED."number", "email" = EXCLUDED."email", "currency" = EXCLUDED."currency",
    "subtotal" = EXCLUDED."subtotal", "shippingTotal" = EXCLUDED."shippingTotal", "taxTotal" = EXCLUDED."taxTotal", "discountTotal" = EXCLUDED."discountTotal",
    "total" = EXCLUDED."total", "taxesIncluded" = EXCLUDED."taxesIncluded", "status" = EXCLUDED."status", "financialStatus" = EXCLUDED."financialStatus",
    "fulfillmentStatus" = EXCLUDED."fulfillmentStatus", "cancelledAt" = EXCLUDED."cancelledAt", "cancelReason" = EXCLUDED."cancelReason",
    "placedAt" = EXCLUDED."placedAt", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt", "shippingAddress" = EXCLUDED."shippingAddress",
    "shippingLines" = EXCLUDED."shippingLines", "redactedAt" = COALESCE("Order"."redactedAt", EXCLUDED."redactedAt"), "updatedAt" = now()
  WHERE "Order"."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt"
  RETURNING "id"`;

const UPSERT_LINE_ITEMS = `
  INSERT INTO "OrderLineItem" ("id", "shopId", "orderId", "externalId", "productExternalId", "variantExternalId", "title", "variantTitle", "sku",
    "quantity", "unitPrice", "discountTotal", "taxTotal", "discountAllocations", "taxLines")
  SELECT gen_random_uuid()::text, $1, $2, "externalId", "productExternalId", "variantExternalId", "title", "variantTitle", "sku",
    "quantity", "unitPrice", "discountTotal", "taxTotal", COALESCE("discountAllocations", '[]'), COALESCE("taxLines", '[]')
  FROM jsonb_to_recordset($3::jsonb) AS l("externalId" text, "productExternalId" text, "variantExternalId" text, "title" text, "variantTitle" text, "sku" text,
    "quantity" int, "unitPrice" decimal, "discountTotal" decimal, "taxTotal" decimal, "discountAllocations" jsonb, "taxLines" jsonb)
  -- Rows keep their ids (return requests refer to them).
  ON CONFLICT ("orderId", "externalId") DO UPDATE SET
    "productExternalId" = EXCLUDED."productExternalId", "variantExternalId" = EXCLUDED."variantExternalId", "title" = EXCLUDED."title",
    "variantTitle" = EXCLUDED."variantTitle", "sku" = EXCLUDED."sku", "quantity" = EXCLUDED."quantity", "unitPrice" = EXCLUDED."unitPrice",
    "discountTotal" = EXCLUDED."discountTotal", "taxTotal" = EXCLUDED."taxTotal", "discountAllocations" = EXCLUDED."discountAllocations",
    "taxLines" = EXCLUDED."taxLines"`;

const UPSERT_REFUNDS = `
  INSERT INTO "Refund" ("id", "shopId", "orderId", "platform", "externalId", "amount", "currency", "status", "reason", "processedAt", "lineItems", "transactions",
    "createdAt", "updatedAt")
  SELECT gen_random_uuid()::text, $1, $2, $3::"Platform", "externalId", "amount", COALESCE(NULLIF("currency", ''), $4), "status"::"RefundStatus", "reason",
    "processedAt", COALESCE("lineItems", '[]'), COALESCE("transactions", '[]'), COALESCE("createdAt", now()), now()
  FROM jsonb_to_recordset($5::jsonb) AS r("externalId" text, "amount" decimal, "currency" text, "status" text, "reason" text, "processedAt" timestamptz,
    "lineItems" jsonb, "transactions" jsonb, "createdAt" timestamptz)
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "amount" = EXCLUDED."amount", "currency" = EXCLUDED."currency", "status" = EXCLUDED."status", "reason" = EXCLUDED."reason",
    "processedAt" = EXCLUDED."processedAt", "lineItems" = EXCLUDED."lineItems", "transactions" = EXCLUDED."transactions", "updatedAt" = now()
  RETURNING (xmax = 0) AS "inserted"`;

const UPSERT_SHIPMENTS = `
  INSERT INTO "Shipment" ("id", "shopId", "orderId", "platform", "externalId", "status", "carrier", "trackingNumber", "trackingUrl", "trackingNumbers",
    "trackingUrls", "lineItems", "shippedAt", "deliveredAt", "estimatedDeliveryAt", "sourceUpdatedAt", "createdAt", "updatedAt")
  SELECT gen_random_uuid()::text, $1, $2, $3::"Platform", "externalId", "status"::"ShipmentStatus", "carrier", "trackingNumbers"->>0, "trackingUrls"->>0,
    ARRAY(SELECT jsonb_array_elements_text("trackingNumbers")), ARRAY(SELECT jsonb_array_elements_text("trackingUrls")), COALESCE("lineItems", '[]'),
    "shippedAt", "deliveredAt", "estimatedDeliveryAt", COALESCE("updatedAt", $4::timestamptz), COALESCE("shippedAt", now()), now()
  FROM jsonb_to_recordset($5::jsonb) AS s("externalId" text, "status" text, "carrier" text, "trackingNumbers" jsonb, "trackingUrls" jsonb, "lineItems" jsonb,
    "shippedAt" timestamptz, "deliveredAt" timestamptz, "estimatedDeliveryAt" timestamptz, "updatedAt" timestamptz)
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

/** Refunded and fulfilled quantities follow from the stored refunds and (not cancelled or failed) shipments. */
const RECOMPUTE_LINE_QUANTITIES = `
  UPDATE "OrderLineItem" AS line SET
    "refundedQuantity" = COALESCE((
      SELECT sum((item->>'quantity')::int) FROM "Refund" AS refund, jsonb_array_elements(refund."lineItems") AS item
      WHERE refund."orderId" = line."orderId" AND refund."status" IN ('succeeded', 'pending') AND item->>'lineItemExternalId' = line."externalId"), 0),
    "fulfilledQuantity" = COALESCE((
      SELECT sum((item->>'quantity')::int) FROM "Shipment" AS shipment, jsonb_array_elements(shipment."lineItems") AS item
      WHERE shipment."orderId" = line."orderId" AND shipment."status" NOT IN ('cancelled', 'failure') AND item->>'lineItemExternalId' = line."externalId"), 0)
  WHERE line."orderId" = $1`;

async function writeRefunds(sql: Sql, shopId: string, order: { id: string; platform: Platform; currency: string }, refunds: RefundSnapshot[]) {
  if (refunds.length === 0) return [];
  return sql.query<{ inserted: boolean }>(UPSERT_REFUNDS, [shopId, order.id, order.platform, order.currency, json(refunds)]);
}

async function writeShipments(sql: Sql, shopId: string, order: { id: string; platform: Platform }, shipments: ShipmentSnapshot[], options: ApplyOptions) {
  if (shipments.length === 0) return [];
  return sql.query<{ id: string }>(UPSERT_SHIPMENTS, [shopId, order.id, order.platform, options.triggeredAt ?? null, json(shipments)]);
}

export function applyOrder(db: SyncDb, shopId: string, snapshot: OrderSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return inTransaction(db, async (sql) => {
    const stored = await lockRow(sql, "Order", shopId, snapshot.platform, snapshot.externalId, `"id", "sourceUpdatedAt", "redactedAt"`);
    const version = versionOf(snapshot.updatedAt, options) ?? snapshot.placedAt;
    let outcome = compare(stored ? (stored.sourceUpdatedAt as Date) : undefined, version);
    let orderId = stored?.id as string | undefined;

    if (outcome !== "stale") {
      const customer = snapshot.customer ? await writeCustomer(sql, shopId, snapshot.customer, options) : null;
      // After customers/redact, the platform may still send this order with the shopper's details: drop them.
      const erase = Boolean(stored?.redactedAt) || Boolean(customer?.redactedAt);
      const [row] = await sql.query<{ id: string }>(UPSERT_ORDER, [
        shopId,
        customer?.id ?? null,
        snapshot.platform,
        snapshot.externalId,
        snapshot.name,
        snapshot.number,
        erase ? null : (snapshot.email?.toLowerCase() ?? null),
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
        snapshot.shippingAddress && !erase ? json(snapshot.shippingAddress) : null,
        json(snapshot.shippingLines),
        erase ? new Date() : null,
      ]);
      if (row) {
        orderId = row.id;
        await sql.query(UPSERT_LINE_ITEMS, [shopId, orderId, json(snapshot.lineItems)]);
      } else {
        // A concurrent first insert of a newer version won after our lock found no row.
        outcome = "stale";
        orderId = (await lockRow(sql, "Order", shopId, snapshot.platform, snapshot.externalId, `"id"`))!.id as string;
      }
    }
    // Children carry their own versions: even a stale order payload may hold a refund or shipment we lack.
    const order = { id: orderId!, platform: snapshot.platform, currency: snapshot.currency };
    const refunds = await writeRefunds(sql, shopId, order, snapshot.refunds);
    const shipments = await writeShipments(sql, shopId, order, snapshot.shipments, options);
    if (outcome !== "stale" || refunds.length > 0 || shipments.length > 0) await sql.query(RECOMPUTE_LINE_QUANTITIES, [order.id]);
    return { id: order.id, outcome };
  });
}

async function lockedOrder(sql: Sql, shopId: string, platform: Platform, orderExternalId: string) {
  const order = await lockRow(sql, "Order", shopId, platform, orderExternalId, `"id", "platform", "currency"`);
  if (!order) throw new OrderNotSyncedError(orderExternalId);
  return order as { id: string; platform: Platform; currency: string };
}

/** A refund on its own (refunds/create, a write-back's result). An empty currency means the order's. */
export function applyRefund(db: SyncDb, shopId: string, platform: Platform, orderExternalId: string, refund: RefundSnapshot): Promise<Applied> {
  return inTransaction(db, async (sql) => {
    const order = await lockedOrder(sql, shopId, platform, orderExternalId);
    const [written] = await writeRefunds(sql, shopId, order, [refund]);
    await sql.query(RECOMPUTE_LINE_QUANTITIES, [order.id]);
    return { id: order.id, outcome: written?.inserted ? "created" : "unchanged" };
  });
}

export function applyShipment(db: SyncDb, shopId: string, platform: Platform, orderExternalId: string, shipment: ShipmentSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return inTransaction(db, async (sql) => {
    const order = await lockedOrder(sql, shopId, platform, orderExternalId);
    const written = await writeShipments(sql, shopId, order, [shipment], options);
    if (written.length === 0) return { id: order.id, outcome: "stale" };
    await sql.query(RECOMPUTE_LINE_QUANTITIES, [order.id]);
    return { id: order.id, outcome: "updated" };
  });
}

/**
 * Carrier events of a shipment (Shopify fulfillment events): stored newest first; the newest sets the
 * shipment's status, delivery time and estimate. Events are merged by time and status, so replays add nothing.
 */
export function applyShipmentEvents(db: SyncDb, shopId: string, platform: Platform, shipmentExternalId: string, events: ShipmentEventSnapshot[]) {
  return inTransaction(db, async (sql) => {
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
  });
}
