import { randomUUID } from "node:crypto";
import { type Platform, Prisma, type PrismaClient } from "@prisma/client";
import type {
  ApplyOutcome,
  CustomerSnapshot,
  OrderSnapshot,
  ProductSnapshot,
  RefundSnapshot,
  ShipmentEventSnapshot,
  ShipmentSnapshot,
} from "./snapshots";

/**
 * Writes platform snapshots into the unified model. Every writer follows the same rules, because platforms
 * deliver late, twice and out of order:
 * - a resource is locked for the length of its write (transaction-scoped advisory lock on its key), so two
 *   workers applying two versions of one order never interleave;
 * - an older version never overwrites a newer one (the platform's updated_at, or the delivery's trigger time
 *   for resources without one);
 * - children (refunds, shipments, line items) are upserted by their own ids, so they can arrive before, with
 *   or after their order, and the line items' refunded/fulfilled quantities are recomputed from what is stored.
 */

type Db = PrismaClient | Prisma.TransactionClient;
type Tx = Prisma.TransactionClient;

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

const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  // Callers may pass a transaction (the demo seed batches several writes); otherwise open one. A transaction
  // client has no $transaction; the app's client is a proxy, so ask for the function, not the key.
  if (typeof (db as Partial<PrismaClient>).$transaction === "function") return (db as PrismaClient).$transaction(work, TX_OPTIONS);
  return work(db as Tx);
}

async function lock(tx: Tx, key: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
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

const decimal = (value: string) => new Prisma.Decimal(value);

// ---------------------------------------------------------------- Customers

async function writeCustomer(tx: Tx, shopId: string, snapshot: CustomerSnapshot, options: ApplyOptions): Promise<Applied> {
  await lock(tx, `customer:${shopId}:${snapshot.platform}:${snapshot.externalId}`);
  const where = { shopId_platform_externalId: { shopId, platform: snapshot.platform, externalId: snapshot.externalId } };
  const stored = await tx.customer.findUnique({ where, select: { id: true, sourceUpdatedAt: true, redactedAt: true } });
  const version = versionOf(snapshot.updatedAt, options);
  const outcome = compare(stored ? stored.sourceUpdatedAt : undefined, version);
  if (stored && outcome === "stale") return { id: stored.id, outcome };
  // A redacted customer stays redacted: the platform may still send old payloads with their data.
  if (stored?.redactedAt) return { id: stored.id, outcome: "stale" };
  const fields = {
    email: snapshot.email?.toLowerCase() ?? null,
    firstName: snapshot.firstName,
    lastName: snapshot.lastName,
    phone: snapshot.phone,
    locale: snapshot.locale,
    tags: snapshot.tags,
    sourceUpdatedAt: version,
  };
  const row = await tx.customer.upsert({
    where,
    create: { shopId, platform: snapshot.platform, externalId: snapshot.externalId, ...fields, ...(snapshot.createdAt ? { createdAt: snapshot.createdAt } : {}) },
    update: fields,
    select: { id: true },
  });
  return { id: row.id, outcome };
}

export function applyCustomer(db: Db, shopId: string, snapshot: CustomerSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return inTransaction(db, (tx) => writeCustomer(tx, shopId, snapshot, options));
}

// ---------------------------------------------------------------- Products

export function applyProduct(db: Db, shopId: string, snapshot: ProductSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return inTransaction(db, async (tx) => {
    await lock(tx, `product:${shopId}:${snapshot.platform}:${snapshot.externalId}`);
    const where = { shopId_platform_externalId: { shopId, platform: snapshot.platform, externalId: snapshot.externalId } };
    const stored = await tx.product.findUnique({ where, select: { id: true, sourceUpdatedAt: true } });
    const version = versionOf(snapshot.updatedAt, options);
    const outcome = compare(stored ? stored.sourceUpdatedAt : undefined, version);
    if (stored && outcome === "stale") return { id: stored.id, outcome };

    const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
    const prices = snapshot.variants.map((variant) => Number(variant.price));
    const fields = {
      handle: snapshot.handle,
      title: snapshot.title,
      description: snapshot.description,
      vendor: snapshot.vendor,
      productType: snapshot.productType,
      tags: snapshot.tags,
      status: snapshot.status,
      currency: shop.currency,
      priceMin: decimal(prices.length ? Math.min(...prices).toFixed(2) : "0"),
      priceMax: decimal(prices.length ? Math.max(...prices).toFixed(2) : "0"),
      available: snapshot.variants.some((variant) => variant.available),
      imageUrl: snapshot.imageUrl,
      sourceUpdatedAt: version,
    };
    const product = await tx.product.upsert({
      where,
      create: { shopId, platform: snapshot.platform, externalId: snapshot.externalId, ...fields, ...(snapshot.createdAt ? { createdAt: snapshot.createdAt } : {}) },
      update: fields,
      select: { id: true },
    });
    // The payload lists every variant: ones no longer listed were deleted on the platform.
    await tx.productVariant.deleteMany({ where: { productId: product.id, externalId: { notIn: snapshot.variants.map((variant) => variant.externalId) } } });
    for (const variant of snapshot.variants) {
      const data = { title: variant.title, sku: variant.sku, price: decimal(variant.price), inventoryQuantity: variant.inventoryQuantity, available: variant.available };
      await tx.productVariant.upsert({
        where: { productId_externalId: { productId: product.id, externalId: variant.externalId } },
        create: { shopId, productId: product.id, externalId: variant.externalId, ...data },
        update: data,
      });
    }
    return { id: product.id, outcome };
  });
}

/** products/delete: the row stays as a tombstone (status "deleted") so a late update cannot resurrect it. */
export function deleteProduct(db: Db, shopId: string, platform: Platform, externalId: string, deletedAt: Date): Promise<Applied> {
  return inTransaction(db, async (tx) => {
    await lock(tx, `product:${shopId}:${platform}:${externalId}`);
    const where = { shopId_platform_externalId: { shopId, platform, externalId } };
    const stored = await tx.product.findUnique({ where, select: { id: true, sourceUpdatedAt: true } });
    const outcome = compare(stored ? stored.sourceUpdatedAt : undefined, deletedAt);
    if (stored && outcome === "stale") return { id: stored.id, outcome };
    const product = await tx.product.upsert({
      where,
      create: { shopId, platform, externalId, handle: "", title: "(deleted)", status: "deleted", priceMin: 0, priceMax: 0, available: false, sourceUpdatedAt: deletedAt },
      update: { status: "deleted", available: false, sourceUpdatedAt: deletedAt },
      select: { id: true },
    });
    await tx.productVariant.deleteMany({ where: { productId: product.id } });
    return { id: product.id, outcome };
  });
}

// ---------------------------------------------------------------- Orders and their children

const orderLockKey = (shopId: string, platform: Platform, externalId: string) => `order:${shopId}:${platform}:${externalId}`;

async function upsertLineItems(tx: Tx, shopId: string, orderId: string, snapshot: OrderSnapshot) {
  if (snapshot.lineItems.length === 0) return;
  const rows = snapshot.lineItems.map(
    (line) => Prisma.sql`(${randomUUID()}, ${shopId}, ${orderId}, ${line.externalId}, ${line.productExternalId}, ${line.variantExternalId}, ${line.title},
      ${line.variantTitle}, ${line.sku}, ${line.quantity}::int, ${line.unitPrice}::decimal, ${line.discountTotal}::decimal, ${line.taxTotal}::decimal,
      ${JSON.stringify(line.discountAllocations)}::jsonb, ${JSON.stringify(line.taxLines)}::jsonb)`,
  );
  // One statement for all lines; rows keep their ids (return requests refer to them).
  await tx.$executeRaw`
    INSERT INTO "OrderLineItem" ("id", "shopId", "orderId", "externalId", "productExternalId", "variantExternalId", "title", "variantTitle", "sku",
      "quantity", "unitPrice", "discountTotal", "taxTotal", "discountAllocations", "taxLines")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("orderId", "externalId") DO UPDATE SET
      "productExternalId" = EXCLUDED."productExternalId", "variantExternalId" = EXCLUDED."variantExternalId", "title" = EXCLUDED."title",
      "variantTitle" = EXCLUDED."variantTitle", "sku" = EXCLUDED."sku", "quantity" = EXCLUDED."quantity", "unitPrice" = EXCLUDED."unitPrice",
      "discountTotal" = EXCLUDED."discountTotal", "taxTotal" = EXCLUDED."taxTotal", "discountAllocations" = EXCLUDED."discountAllocations",
      "taxLines" = EXCLUDED."taxLines"`;
}

async function writeRefund(tx: Tx, shopId: string, order: { id: string; platform: Platform }, refund: RefundSnapshot) {
  const fields = {
    amount: decimal(refund.amount),
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason,
    processedAt: refund.processedAt,
    lineItems: refund.lineItems as unknown as Prisma.InputJsonValue,
    transactions: refund.transactions as unknown as Prisma.InputJsonValue,
  };
  await tx.refund.upsert({
    where: { shopId_platform_externalId: { shopId, platform: order.platform, externalId: refund.externalId } },
    create: { shopId, orderId: order.id, platform: order.platform, externalId: refund.externalId, ...fields, ...(refund.createdAt ? { createdAt: refund.createdAt } : {}) },
    update: fields,
  });
}

async function writeShipment(tx: Tx, shopId: string, order: { id: string; platform: Platform }, shipment: ShipmentSnapshot, options: ApplyOptions): Promise<ApplyOutcome> {
  const where = { shopId_platform_externalId: { shopId, platform: order.platform, externalId: shipment.externalId } };
  const stored = await tx.shipment.findUnique({ where, select: { id: true, sourceUpdatedAt: true, deliveredAt: true, estimatedDeliveryAt: true } });
  const version = versionOf(shipment.updatedAt, options);
  const outcome = compare(stored ? stored.sourceUpdatedAt : undefined, version);
  if (stored && outcome === "stale") return outcome;
  const fields = {
    status: shipment.status,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumbers[0] ?? null,
    trackingUrl: shipment.trackingUrls[0] ?? null,
    trackingNumbers: shipment.trackingNumbers,
    trackingUrls: shipment.trackingUrls,
    lineItems: shipment.lineItems as unknown as Prisma.InputJsonValue,
    shippedAt: shipment.shippedAt,
    // Fulfillment payloads rarely carry these; carrier events (applyShipmentEvents) fill them and are kept.
    deliveredAt: shipment.deliveredAt ?? stored?.deliveredAt ?? null,
    estimatedDeliveryAt: shipment.estimatedDeliveryAt ?? stored?.estimatedDeliveryAt ?? null,
    sourceUpdatedAt: version,
  };
  await tx.shipment.upsert({
    where,
    create: { shopId, orderId: order.id, platform: order.platform, externalId: shipment.externalId, ...fields, ...(shipment.shippedAt ? { createdAt: shipment.shippedAt } : {}) },
    update: fields,
  });
  return outcome;
}

/** Refunded and fulfilled quantities follow from the stored refunds and (not cancelled) shipments. */
async function recomputeLineQuantities(tx: Tx, orderId: string) {
  await tx.$executeRaw`
    UPDATE "OrderLineItem" AS line SET
      "refundedQuantity" = COALESCE((
        SELECT sum((item->>'quantity')::int) FROM "Refund" AS refund, jsonb_array_elements(refund."lineItems") AS item
        WHERE refund."orderId" = line."orderId" AND refund."status" IN ('succeeded', 'pending') AND item->>'lineItemExternalId' = line."externalId"), 0),
      "fulfilledQuantity" = COALESCE((
        SELECT sum((item->>'quantity')::int) FROM "Shipment" AS shipment, jsonb_array_elements(shipment."lineItems") AS item
        WHERE shipment."orderId" = line."orderId" AND shipment."status" NOT IN ('cancelled', 'failure') AND item->>'lineItemExternalId' = line."externalId"), 0)
    WHERE line."orderId" = ${orderId}`;
}

export function applyOrder(db: Db, shopId: string, snapshot: OrderSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return inTransaction(db, async (tx) => {
    await lock(tx, orderLockKey(shopId, snapshot.platform, snapshot.externalId));
    const where = { shopId_platform_externalId: { shopId, platform: snapshot.platform, externalId: snapshot.externalId } };
    const stored = await tx.order.findUnique({ where, select: { id: true, sourceUpdatedAt: true, redactedAt: true } });
    const version = versionOf(snapshot.updatedAt, options) ?? snapshot.placedAt;
    // After customers/redact, the platform may still send this order with the shopper's details: drop them.
    const redacted = Boolean(stored?.redactedAt);
    const outcome = compare(stored ? stored.sourceUpdatedAt : undefined, version);

    let orderId = stored?.id;
    if (!stored || outcome !== "stale") {
      const customer = snapshot.customer ? await writeCustomer(tx, shopId, snapshot.customer, options) : null;
      const customerRedacted = customer ? Boolean((await tx.customer.findUnique({ where: { id: customer.id }, select: { redactedAt: true } }))?.redactedAt) : false;
      const erase = redacted || customerRedacted;
      const fields = {
        customerId: customer?.id ?? null,
        name: snapshot.name,
        number: snapshot.number,
        email: erase ? null : (snapshot.email?.toLowerCase() ?? null),
        currency: snapshot.currency,
        subtotal: decimal(snapshot.subtotal),
        shippingTotal: decimal(snapshot.shippingTotal),
        taxTotal: decimal(snapshot.taxTotal),
        discountTotal: decimal(snapshot.discountTotal),
        total: decimal(snapshot.total),
        taxesIncluded: snapshot.taxesIncluded,
        status: snapshot.status,
        financialStatus: snapshot.financialStatus,
        fulfillmentStatus: snapshot.fulfillmentStatus,
        cancelledAt: snapshot.cancelledAt,
        cancelReason: snapshot.cancelReason,
        placedAt: snapshot.placedAt,
        sourceUpdatedAt: version,
        shippingAddress: snapshot.shippingAddress && !erase ? (snapshot.shippingAddress as Prisma.InputJsonValue) : Prisma.DbNull,
        ...(customerRedacted && !redacted ? { redactedAt: new Date() } : {}),
        shippingLines: snapshot.shippingLines as unknown as Prisma.InputJsonValue,
      };
      const row = await tx.order.upsert({
        where,
        create: { shopId, platform: snapshot.platform, externalId: snapshot.externalId, ...fields, createdAt: snapshot.placedAt },
        update: fields,
        select: { id: true },
      });
      orderId = row.id;
      await upsertLineItems(tx, shopId, orderId, snapshot);
    }
    // Children carry their own versions: even a stale order payload may hold a refund or shipment we lack.
    const order = { id: orderId!, platform: snapshot.platform };
    for (const refund of snapshot.refunds) await writeRefund(tx, shopId, order, refund);
    for (const shipment of snapshot.shipments) await writeShipment(tx, shopId, order, shipment, options);
    if (outcome !== "stale" || snapshot.refunds.length > 0 || snapshot.shipments.length > 0) await recomputeLineQuantities(tx, order.id);
    return { id: order.id, outcome };
  });
}

async function lockedOrder(tx: Tx, shopId: string, platform: Platform, orderExternalId: string) {
  await lock(tx, orderLockKey(shopId, platform, orderExternalId));
  const order = await tx.order.findUnique({
    where: { shopId_platform_externalId: { shopId, platform, externalId: orderExternalId } },
    select: { id: true, platform: true },
  });
  if (!order) throw new OrderNotSyncedError(orderExternalId);
  return order;
}

export function applyRefund(db: Db, shopId: string, platform: Platform, orderExternalId: string, refund: RefundSnapshot): Promise<Applied> {
  return inTransaction(db, async (tx) => {
    const order = await lockedOrder(tx, shopId, platform, orderExternalId);
    const existed = await tx.refund.count({ where: { shopId, platform, externalId: refund.externalId } });
    await writeRefund(tx, shopId, order, refund);
    await recomputeLineQuantities(tx, order.id);
    return { id: order.id, outcome: existed ? "unchanged" : "created" };
  });
}

export function applyShipment(db: Db, shopId: string, platform: Platform, orderExternalId: string, shipment: ShipmentSnapshot, options: ApplyOptions = {}): Promise<Applied> {
  return inTransaction(db, async (tx) => {
    const order = await lockedOrder(tx, shopId, platform, orderExternalId);
    const outcome = await writeShipment(tx, shopId, order, shipment, options);
    if (outcome !== "stale") await recomputeLineQuantities(tx, order.id);
    return { id: order.id, outcome };
  });
}

/**
 * Carrier events of a shipment (Shopify fulfillment events): stored newest first; the newest sets the
 * shipment's status, delivery time and estimate. Events are merged by time and status, so replays add nothing.
 */
export function applyShipmentEvents(db: Db, shopId: string, platform: Platform, shipmentExternalId: string, events: ShipmentEventSnapshot[]) {
  return inTransaction(db, async (tx) => {
    const shipment = await tx.shipment.findUnique({
      where: { shopId_platform_externalId: { shopId, platform, externalId: shipmentExternalId } },
      select: { id: true, events: true, order: { select: { externalId: true } } },
    });
    if (!shipment) throw new Error(`shipment ${shipmentExternalId} is not synced yet`);
    await lock(tx, orderLockKey(shopId, platform, shipment.order.externalId));
    type Stored = { at: string; status: string; location: string | null; message: string | null };
    const byKey = new Map<string, Stored>();
    for (const event of (Array.isArray(shipment.events) ? shipment.events : []) as Stored[]) byKey.set(`${event.at}|${event.status}`, event);
    for (const event of events) {
      const stored = { at: event.at.toISOString(), status: event.status, location: event.location, message: event.message };
      byKey.set(`${stored.at}|${stored.status}`, stored);
    }
    const merged = [...byKey.values()].sort((a, b) => b.at.localeCompare(a.at));
    const newest = merged[0];
    const delivered = merged.find((event) => event.status === "delivered");
    const estimate = [...events].sort((a, b) => b.at.getTime() - a.at.getTime()).find((event) => event.estimatedDeliveryAt)?.estimatedDeliveryAt;
    await tx.shipment.update({
      where: { id: shipment.id },
      data: {
        events: merged as unknown as Prisma.InputJsonValue,
        ...(newest ? { status: newest.status as ShipmentEventSnapshot["status"] } : {}),
        ...(delivered ? { deliveredAt: new Date(delivered.at) } : {}),
        ...(estimate ? { estimatedDeliveryAt: estimate } : {}),
      },
    });
    return merged.length;
  });
}
