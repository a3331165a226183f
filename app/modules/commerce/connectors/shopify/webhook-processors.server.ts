import type { PrismaClient } from "@prisma/client";
import { getPool } from "~/lib/db/pool.server";
import { queueProductKnowledgeSync } from "~/modules/knowledge";
import { type Applied, customerWrite, orderWrite, productDeleteWrite, productWrite, refundWrite, shipmentWrite } from "../../sync/apply.server";
import { prepared } from "~/lib/db/pool.server";
import { inOneWrite, isPipelined, runWrite, type Statement, type SyncWrite, transactionOn } from "../../sync/sql.server";
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

/** One recorded delivery of a commerce topic, for a shop we know. */
export interface CommerceDelivery {
  shopId: string;
  payload: unknown;
  /** X-Shopify-Triggered-At: the version of payloads without updated_at (products/delete). */
  triggeredAt: Date | null;
}

/**
 * Maps a delivery to its write (the payload is parsed before any transaction opens); `after` runs once the
 * write committed (work on other connections).
 */
interface CommerceProcessor {
  write: (delivery: CommerceDelivery) => SyncWrite<Applied>;
  after?: (db: PrismaClient, shopId: string, applied: Applied) => Promise<void>;
}

const order = ({ shopId, payload, triggeredAt }: CommerceDelivery) => orderWrite(shopId, orderSnapshot(OrderPayload.parse(payload)), { triggeredAt });

const customer = ({ shopId, payload, triggeredAt }: CommerceDelivery) => customerWrite(shopId, customerSnapshot(CustomerPayload.parse(payload)), { triggeredAt });

/** Products are knowledge too: their article is refreshed by one queued job per shop, however many arrive. */
async function refreshProductKnowledge(db: PrismaClient, shopId: string, applied: Applied) {
  if (applied.outcome === "stale") return;
  await queueProductKnowledgeSync(db, shopId);
}

const product = ({ shopId, payload, triggeredAt }: CommerceDelivery) => productWrite(shopId, productSnapshot(ProductPayload.parse(payload)), { triggeredAt });

/**
 * Shopify's products/delete payload is only `{ id }`; its delivery time is the version that later
 * updates must beat. Without a trigger time the delete wins over anything stored.
 */
function productDelete({ shopId, payload, triggeredAt }: CommerceDelivery) {
  const { id } = ProductDeletePayload.parse(payload);
  return productDeleteWrite(shopId, "shopify", shopifyGid("Product", id), triggeredAt ?? new Date());
}

function refund({ shopId, payload }: CommerceDelivery) {
  const parsed = RefundPayload.parse(payload);
  // No currency on the refund's transactions means the order's (the writer fills it in); without the order,
  // the write throws OrderNotSyncedError and the job retries.
  return refundWrite(shopId, "shopify", shopifyGid("Order", parsed.order_id), refundSnapshot(parsed, ""));
}

function fulfillment({ shopId, payload, triggeredAt }: CommerceDelivery) {
  const parsed = FulfillmentPayload.parse(payload);
  return shipmentWrite(shopId, "shopify", shopifyGid("Order", parsed.order_id), shipmentSnapshot(parsed), { triggeredAt });
}

/** Every subscribed commerce topic (shopify.app.toml) and what applies it. */
export const SHOPIFY_COMMERCE_PROCESSORS: Record<string, CommerceProcessor> = {
  "orders/create": { write: order },
  "orders/updated": { write: order },
  "orders/cancelled": { write: order },
  "refunds/create": { write: refund },
  "fulfillments/create": { write: fulfillment },
  "fulfillments/update": { write: fulfillment },
  "customers/create": { write: customer },
  "customers/update": { write: customer },
  "products/create": { write: product, after: refreshProductKnowledge },
  "products/update": { write: product, after: refreshProductKnowledge },
  "products/delete": { write: productDelete, after: refreshProductKnowledge },
};

/** Deliveries are committed asynchronously; see applyShopifyDelivery. */
const DELIVERY_SETTINGS = ["synchronous_commit = off", "jit = off"];

function processorFor(topic: string) {
  const processor = SHOPIFY_COMMERCE_PROCESSORS[topic];
  if (!processor) throw new Error(`no processor for shopify ${topic}`);
  return processor;
}

/**
 * Applies one delivery of a commerce topic in its own transaction on the plain pg pool, committed asynchronously:
 * what it writes is derived from the recorded event (committed durably at intake), so if the database crashes
 * before the commit reaches disk, the job runs again and the idempotent writers write the same state.
 * `bookkeeping` (marking the event processed, finishing its job) is committed with the write; for an order all
 * of it, BEGIN to COMMIT, is one round trip on a pipelined connection.
 */
export async function applyShopifyDelivery(db: PrismaClient, topic: string, delivery: CommerceDelivery, bookkeeping: Statement[] = []): Promise<Applied> {
  const processor = processorFor(topic);
  const applied = await runWrite(getPool(), processor.write(delivery), { settings: DELIVERY_SETTINGS, closing: bookkeeping });
  await processor.after?.(db, delivery.shopId, applied);
  return applied;
}

export interface QueuedDelivery {
  topic: string;
  delivery: CommerceDelivery;
  bookkeeping: Statement[];
}

export type DeliveryOutcome = { applied: Applied } | { error: unknown };

/**
 * Applies several deliveries on one connection, each in its own transaction as applyShopifyDelivery would, in
 * the order given except that those whose write goes out all at once (orders) are sent first, back to back in one
 * flight, after the statements `alongside` (each on its own): one round trip for all of them. The others follow
 * one by one. Each outcome is its own: a delivery that fails rolls back alone.
 */
export async function applyShopifyDeliveries(
  db: PrismaClient,
  deliveries: QueuedDelivery[],
  alongside: Statement[] = [],
): Promise<{ deliveries: DeliveryOutcome[]; alongside: ({ done: true } | { error: unknown })[] }> {
  const writes = deliveries.map(({ topic, delivery }) => {
    try {
      return processorFor(topic).write(delivery);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  });
  const outcomes: Promise<DeliveryOutcome>[] = [];
  const settle = (index: number, applying: Promise<Applied>) => {
    outcomes[index] = applying.then(
      (applied) => ({ applied }),
      (error: unknown) => ({ error }),
    );
    return outcomes[index];
  };
  const client = await getPool().connect();
  const sentAlongside: Promise<{ done: true } | { error: unknown }>[] = [];
  const sendAlongside = (statement: Statement) => {
    const sent = client.query(prepared(statement.text, statement.params)).then(
      () => ({ done: true as const }),
      (error: unknown) => ({ error }),
    );
    sentAlongside.push(sent);
    return sent;
  };
  const apply = (index: number) =>
    settle(index, transactionOn(client, writes[index] as SyncWrite<Applied>, { settings: DELIVERY_SETTINGS, closing: deliveries[index]!.bookkeeping }));
  const allAtOnce = writes.flatMap((write, index) => (!(write instanceof Error) && write.allAtOnce ? [index] : []));
  try {
    for (const [index, write] of writes.entries()) if (write instanceof Error) settle(index, Promise.reject(write));
    if (isPipelined(client)) {
      inOneWrite(client, () => {
        for (const statement of alongside) sendAlongside(statement);
        for (const index of allAtOnce) apply(index);
      });
    } else {
      for (const statement of alongside) await sendAlongside(statement);
      for (const index of allAtOnce) await apply(index);
    }
    for (const [index, write] of writes.entries()) {
      if (write instanceof Error || write.allAtOnce) continue;
      await apply(index);
    }
    await Promise.all([...outcomes, ...sentAlongside]);
  } finally {
    client.release();
  }
  // As applyShopifyDelivery: work after the commit (a failure there fails the delivery, whose retry re-applies it unchanged).
  const applied: DeliveryOutcome[] = [];
  for (const [index, outcome] of (await Promise.all(outcomes)).entries()) {
    const { topic, delivery } = deliveries[index]!;
    try {
      if ("applied" in outcome) await processorFor(topic).after?.(db, delivery.shopId, outcome.applied);
      applied.push(outcome);
    } catch (error) {
      applied.push({ error });
    }
  }
  return { deliveries: applied, alongside: await Promise.all(sentAlongside) };
}
