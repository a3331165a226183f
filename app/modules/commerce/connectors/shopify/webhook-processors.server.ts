import type { PrismaClient } from "@prisma/client";
import type pg from "pg";
import { getPool, withTransaction } from "~/lib/db/pool.server";
import { queueProductKnowledgeSync } from "~/modules/knowledge";
import { type Applied, applyCustomer, applyOrder, applyProduct, applyRefund, applyShipment, deleteProduct } from "../../sync/apply.server";
import {
  CustomerPayload,
  customerSnapshot,
  FulfillmentPayload,
  OrderPayload,
  orderSnapshot,
  ProductDeletePayload,
  ProductPayload,
  productSnapshot,
  RefundPayload,
  refundSnapshot,
  shipmentSnapshot,
  shopifyGid,
} from "./rest-payloads";

/**
 * One recorded delivery of a commerce topic, for a shop we know, applied inside the caller's transaction on
 * the plain pg pool (the hot path: every delivery).
 */
export interface CommerceDelivery {
  sql: pg.PoolClient;
  shopId: string;
  payload: unknown;
  /** X-Shopify-Triggered-At: the version of payloads without updated_at (products/delete). */
  triggeredAt: Date | null;
}

/** Applies a delivery; `after` runs once its transaction committed (work on other connections). */
interface CommerceProcessor {
  apply: (delivery: CommerceDelivery) => Promise<Applied>;
  after?: (db: PrismaClient, shopId: string, applied: Applied) => Promise<void>;
}

const order = ({ sql, shopId, payload, triggeredAt }: CommerceDelivery) => applyOrder(sql, shopId, orderSnapshot(OrderPayload.parse(payload)), { triggeredAt });

const customer = ({ sql, shopId, payload, triggeredAt }: CommerceDelivery) =>
  applyCustomer(sql, shopId, customerSnapshot(CustomerPayload.parse(payload)), { triggeredAt });

/** Products are knowledge too: their article is refreshed by one queued job per shop, however many arrive. */
async function refreshProductKnowledge(db: PrismaClient, shopId: string, applied: Applied) {
  if (applied.outcome === "stale") return;
  await queueProductKnowledgeSync(db, shopId);
}

const product = ({ sql, shopId, payload, triggeredAt }: CommerceDelivery) =>
  applyProduct(sql, shopId, productSnapshot(ProductPayload.parse(payload)), { triggeredAt });

/**
 * Shopify's products/delete payload is only `{ id }`; its delivery time is the version that later
 * updates must beat. Without a trigger time the delete wins over anything stored.
 */
function productDelete({ sql, shopId, payload, triggeredAt }: CommerceDelivery) {
  const { id } = ProductDeletePayload.parse(payload);
  return deleteProduct(sql, shopId, "shopify", shopifyGid("Product", id), triggeredAt ?? new Date());
}

function refund({ sql, shopId, payload }: CommerceDelivery) {
  const parsed = RefundPayload.parse(payload);
  // No currency on the refund's transactions means the order's (the writer fills it in); without the order,
  // applyRefund throws OrderNotSyncedError and the job retries.
  return applyRefund(sql, shopId, "shopify", shopifyGid("Order", parsed.order_id), refundSnapshot(parsed, ""));
}

function fulfillment({ sql, shopId, payload, triggeredAt }: CommerceDelivery) {
  const parsed = FulfillmentPayload.parse(payload);
  return applyShipment(sql, shopId, "shopify", shopifyGid("Order", parsed.order_id), shipmentSnapshot(parsed), { triggeredAt });
}

/** Every subscribed commerce topic (shopify.app.toml) and what applies it. */
export const SHOPIFY_COMMERCE_PROCESSORS: Record<string, CommerceProcessor> = {
  "orders/create": { apply: order },
  "orders/updated": { apply: order },
  "orders/cancelled": { apply: order },
  "refunds/create": { apply: refund },
  "fulfillments/create": { apply: fulfillment },
  "fulfillments/update": { apply: fulfillment },
  "customers/create": { apply: customer },
  "customers/update": { apply: customer },
  "products/create": { apply: product, after: refreshProductKnowledge },
  "products/update": { apply: product, after: refreshProductKnowledge },
  "products/delete": { apply: productDelete, after: refreshProductKnowledge },
};

/**
 * Applies one delivery of a commerce topic in its own transaction, committed asynchronously: what it writes is
 * derived from the recorded event (committed durably at intake), so if the database crashes before the commit
 * reaches disk, the job runs again and the idempotent writers write the same state. `alsoInTransaction` adds
 * the caller's bookkeeping (marking the event processed) to the same commit.
 */
export async function applyShopifyDelivery(
  db: PrismaClient,
  topic: string,
  delivery: Omit<CommerceDelivery, "sql">,
  alsoInTransaction?: (sql: pg.PoolClient, applied: Applied) => Promise<unknown>,
): Promise<Applied> {
  const processor = SHOPIFY_COMMERCE_PROCESSORS[topic];
  if (!processor) throw new Error(`no processor for shopify ${topic}`);
  const applied = await withTransaction(
    async (sql) => {
      const result = await processor.apply({ ...delivery, sql });
      await alsoInTransaction?.(sql, result);
      return result;
    },
    getPool(),
    ["synchronous_commit = off", "jit = off"],
  );
  await processor.after?.(db, delivery.shopId, applied);
  return applied;
}
