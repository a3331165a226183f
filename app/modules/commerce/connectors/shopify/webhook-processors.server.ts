import type { PrismaClient } from "@prisma/client";
import { getPool } from "~/lib/db/pool.server";
import { enqueueJob } from "~/modules/jobs";
import { SYNC_PRODUCTS_JOB } from "~/modules/knowledge/jobs";
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
 * One recorded delivery of a commerce topic, for a shop we know. The writers run on the plain pg pool (the hot
 * path: every delivery); `db` serves the rest.
 */
export interface CommerceDelivery {
  db: PrismaClient;
  shopId: string;
  payload: unknown;
  /** X-Shopify-Triggered-At: the version of payloads without updated_at (products/delete). */
  triggeredAt: Date | null;
}

type CommerceProcessor = (delivery: CommerceDelivery) => Promise<Applied>;

async function order({ shopId, payload, triggeredAt }: CommerceDelivery) {
  return applyOrder(getPool(), shopId, orderSnapshot(OrderPayload.parse(payload)), { triggeredAt });
}

async function customer({ shopId, payload, triggeredAt }: CommerceDelivery) {
  return applyCustomer(getPool(), shopId, customerSnapshot(CustomerPayload.parse(payload)), { triggeredAt });
}

/** Products are knowledge too: their article is refreshed by one queued job per shop, however many arrive. */
async function refreshProductKnowledge(db: PrismaClient, shopId: string) {
  await enqueueJob(db, { name: SYNC_PRODUCTS_JOB, shopId, payload: { shopId }, dedupeKey: `${SYNC_PRODUCTS_JOB}:${shopId}` });
}

async function product({ db, shopId, payload, triggeredAt }: CommerceDelivery) {
  const applied = await applyProduct(getPool(), shopId, productSnapshot(ProductPayload.parse(payload)), { triggeredAt });
  if (applied.outcome !== "stale") await refreshProductKnowledge(db, shopId);
  return applied;
}

/**
 * Shopify's products/delete payload is only `{ id }`; its delivery time is the version that later
 * updates must beat. Without a trigger time the delete wins over anything stored.
 */
async function productDelete({ db, shopId, payload, triggeredAt }: CommerceDelivery) {
  const { id } = ProductDeletePayload.parse(payload);
  const applied = await deleteProduct(getPool(), shopId, "shopify", shopifyGid("Product", id), triggeredAt ?? new Date());
  if (applied.outcome !== "stale") await refreshProductKnowledge(db, shopId);
  return applied;
}

async function refund({ shopId, payload }: CommerceDelivery) {
  const parsed = RefundPayload.parse(payload);
  // No currency on the refund's transactions means the order's (the writer fills it in); without the order,
  // applyRefund throws OrderNotSyncedError and the job retries.
  return applyRefund(getPool(), shopId, "shopify", shopifyGid("Order", parsed.order_id), refundSnapshot(parsed, ""));
}

async function fulfillment({ shopId, payload, triggeredAt }: CommerceDelivery) {
  const parsed = FulfillmentPayload.parse(payload);
  return applyShipment(getPool(), shopId, "shopify", shopifyGid("Order", parsed.order_id), shipmentSnapshot(parsed), { triggeredAt });
}

/** Every subscribed commerce topic (shopify.app.toml) and what applies it. */
export const SHOPIFY_COMMERCE_PROCESSORS: Record<string, CommerceProcessor> = {
  "orders/create": order,
  "orders/updated": order,
  "orders/cancelled": order,
  "refunds/create": refund,
  "fulfillments/create": fulfillment,
  "fulfillments/update": fulfillment,
  "customers/create": customer,
  "customers/update": customer,
  "products/create": product,
  "products/update": product,
  "products/delete": productDelete,
};
