import type { PrismaClient } from "@prisma/client";
import type pg from "pg";
import { getPool, withTransaction } from "~/lib/db/pool.server";
import { type ApplyOutcome, applyCustomer, applyOrder, applyProduct, applyShipmentEvents, shopifyRest } from "~/modules/commerce";
import type { GenCustomer, GenOrder, GenProduct } from "./model";
import { customerGid, customerPayload, fulfillmentGid, hasAccount, orderGid, orderPayload, productGid, productPayload, shipmentEvents } from "./shopify-payloads";

/**
 * Writes the generated store the way a real one arrives: each product, customer and order payload is parsed and
 * mapped by the Shopify connector (shopifyRest) and written by the commerce sync writers, and each fulfilment's
 * carrier events by applyShipmentEvents. Several resources share one transaction (a batch), each still applied by
 * its own writer call, so an interrupted run leaves whole batches and the next run adds what is missing.
 *
 * Only resources the shop does not hold yet are delivered. One already stored at the same version would come back
 * "unchanged" (tests/integration/demo-seed.test.ts re-delivers them to prove it), at the full cost of the writers
 * on every demo start; one stored by a run on another day belongs to another history (dates are relative to `now`,
 * Shopify ids are reused) and applying over it would merge two histories into one order.
 */

const PLATFORM = "shopify" as const;
const LANES = 4;
const BATCH_SIZE = 50;

/** A batch's transaction, on the plain pg pool the sync writers use in production. */
type Tx = pg.PoolClient;

/** How many resources a writer created or updated (a rerun's are all "unchanged"). */
const changedCount = (outcomes: ApplyOutcome[]) => outcomes.filter((outcome) => outcome === "created" || outcome === "updated").length;

/**
 * Applies items in batch transactions, on several connections at once. Items that share a `lane` key (an order's
 * customer, whose row every order payload updates) stay on one connection, so two transactions never wait on each
 * other's locks.
 */
async function inBatches<T>(items: T[], lane: (item: T) => string, apply: (tx: Tx, item: T) => Promise<ApplyOutcome>) {
  const lanes: T[][] = Array.from({ length: LANES }, () => []);
  for (const item of items) lanes[laneOf(lane(item))]?.push(item);
  const outcomes = await Promise.all(
    lanes.map(async (laneItems) => {
      const applied: ApplyOutcome[] = [];
      for (let i = 0; i < laneItems.length; i += BATCH_SIZE) {
        const batch = laneItems.slice(i, i + BATCH_SIZE);
        // Tables the seed is filling have no statistics yet: the planner overestimates the writers' queries and
        // JIT-compiles them (seconds each on PostgreSQL). A bulk load does not need JIT.
        await withTransaction(
          async (tx) => {
            for (const item of batch) applied.push(await apply(tx, item));
          },
          getPool(),
          ["jit = off"],
        );
      }
      return applied;
    }),
  );
  return outcomes.flat();
}

function laneOf(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % LANES;
}

/** Shopify ids of the resources of a kind the shop already holds. */
const externalIds = (rows: { externalId: string }[]) => new Set(rows.map((row) => row.externalId));

export async function syncCatalogue(prisma: PrismaClient, shopId: string, catalogue: GenProduct[]): Promise<number> {
  const stored = externalIds(await prisma.product.findMany({ where: { shopId, platform: PLATFORM }, select: { externalId: true } }));
  const deliver = catalogue.filter((product) => !stored.has(productGid(product)));
  const outcomes = await inBatches(deliver, productGid, async (tx, product) => {
    const snapshot = shopifyRest.productSnapshot(shopifyRest.ProductPayload.parse(productPayload(product)));
    return (await applyProduct(tx, shopId, snapshot)).outcome;
  });
  return changedCount(outcomes);
}

export async function syncCustomers(prisma: PrismaClient, shopId: string, customers: (GenCustomer & { shopifyId: number })[]): Promise<number> {
  const stored = externalIds(await prisma.customer.findMany({ where: { shopId, platform: PLATFORM }, select: { externalId: true } }));
  const deliver = customers.filter((customer) => !stored.has(customerGid(customer)));
  const outcomes = await inBatches(deliver, customerGid, async (tx, customer) => {
    const snapshot = shopifyRest.customerSnapshot(shopifyRest.CustomerPayload.parse(customerPayload(customer)));
    return (await applyCustomer(tx, shopId, snapshot)).outcome;
  });
  return changedCount(outcomes);
}

/** Orders (with their refunds and fulfilments), then the carrier events of each fulfilment, in one batch transaction. */
export async function syncOrders(prisma: PrismaClient, shopId: string, orders: GenOrder[]): Promise<number> {
  const stored = externalIds(await prisma.order.findMany({ where: { shopId, platform: PLATFORM }, select: { externalId: true } }));
  const deliver = orders.filter((order) => !stored.has(orderGid(order)));
  const lane = (order: GenOrder) => (hasAccount(order.customer) ? customerGid(order.customer) : orderGid(order));
  const outcomes = await inBatches(deliver, lane, async (tx, order) => {
    const snapshot = shopifyRest.orderSnapshot(shopifyRest.OrderPayload.parse(orderPayload(order)));
    const { outcome } = await applyOrder(tx, shopId, snapshot);
    for (const shipment of order.shipments) await applyShipmentEvents(tx, shopId, PLATFORM, fulfillmentGid(shipment), shipmentEvents(shipment));
    return outcome;
  });
  return changedCount(outcomes);
}

/** The stored ids of orders and customers, by Shopify GID (conversations refer to them). */
export async function storedIds(prisma: PrismaClient, shopId: string) {
  const [orders, customers] = await Promise.all([
    prisma.order.findMany({ where: { shopId, platform: PLATFORM }, select: { id: true, externalId: true } }),
    prisma.customer.findMany({ where: { shopId, platform: PLATFORM }, select: { id: true, externalId: true } }),
  ]);
  return {
    orders: new Map(orders.map((row) => [row.externalId, row.id])),
    customers: new Map(customers.map((row) => [row.externalId, row.id])),
  };
}
