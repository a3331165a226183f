import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { enqueueJob, type JobContext } from "~/modules/jobs";
import { queueProductKnowledgeSync } from "~/modules/knowledge";
import type { AdminGraphqlRequest } from "../../actions/contract";
import { applyCustomer, applyOrder, applyProduct } from "../../sync/apply.server";
import type { OrderSnapshot } from "../../sync/snapshots";
import { BACKFILL_RESOURCES, failureMessage, readSyncState, type SyncResource, syncStatusReport, writeSyncState } from "../../sync/sync-state.server";
import { type AdminQuery, ShopifyAccessError, type ThrottleOptions, throttledAdmin } from "./admin-graphql.server";
import {
  CHILDREN_BATCH,
  COUNTS_QUERY,
  Counts,
  CUSTOMERS_QUERY,
  CustomersPage,
  customerFromGraphql,
  FULFILLMENTS_QUERY,
  FulfillmentsById,
  isTruncated,
  NESTED_DETAIL_SIZES,
  NESTED_PAGE_SIZES,
  ORDER_DETAILS_QUERY,
  ORDERS_QUERY,
  OrderDetails,
  type OrderNode,
  OrdersPage,
  orderFromGraphql,
  PAGE_SIZES,
  PRODUCT_VARIANTS_PAGE,
  PRODUCT_VARIANTS_QUERY,
  PRODUCTS_QUERY,
  ProductsPage,
  ProductVariantsPage,
  productFromGraphql,
  REFUNDS_QUERY,
  RefundsById,
} from "./graphql";

/**
 * Reads a Shopify shop through the Admin GraphQL API into the unified model, through the same writers the
 * webhooks use (newest wins, so a backfill never undoes a fresher webhook):
 * - the backfill (on install and on demand): customers, then products, then orders (the last 60 days unless
 *   the shop granted read_all_orders). The cursor is stored after every page, so a run that dies (crash,
 *   network, deploy) is retried by the job queue and continues with the next unread page.
 * - the reconciliation (every 15 minutes per shop): orders updated since the last successful run, to repair
 *   what a lost webhook missed.
 * Large shops: Shopify paginates at most 25,000 objects per connection and every page costs points; a bulk
 * operation (bulkOperationRunQuery, JSONL) would read them in one job on Shopify's side instead.
 */

export const SHOPIFY_BACKFILL_JOB = "commerce.shopify-backfill";
export const SHOPIFY_RECONCILE_JOB = "commerce.shopify-reconcile";

/** Orders a shop without read_all_orders lets apps read. */
export const DEFAULT_ORDER_WINDOW_DAYS = 60;
export const RECONCILE_INTERVAL_MS = 15 * 60_000;
/** Each reconciliation re-reads a little before the previous run started: clocks differ, writes land late. */
const RECONCILE_OVERLAP_MS = 5 * 60_000;

/** "install": after OAuth (skipped when this installation was already backfilled); "resync": asked for. */
export type BackfillTrigger = "install" | "resync";

export interface SyncRunOptions extends ThrottleOptions {
  /** Called after every page: the job's heartbeat (progress restarts its time limit; a lost job stops here). */
  heartbeat?: () => Promise<unknown>;
  /** Top-level page sizes; tests make them small so pagination is real. */
  pageSizes?: Partial<Record<keyof typeof PAGE_SIZES, number>>;
}

const platform = "shopify" as const;
const backfillKey = (shopId: string, resource: SyncResource) => ({ shopId, platform, kind: "backfill" as const, resource });
const reconcileKey = (shopId: string) => ({ shopId, platform, kind: "reconcile" as const, resource: "orders" as const });
const backfillDedupeKey = (shopId: string) => `${SHOPIFY_BACKFILL_JOB}:${shopId}`;
const reconcileDedupeKey = (shopId: string) => `${SHOPIFY_RECONCILE_JOB}:${shopId}`;

/** Shopify's search syntax, quoted so the timestamp's colons stay part of the value. */
export const createdSinceQuery = (since: Date) => `created_at:>='${since.toISOString()}'`;
export const updatedSinceQuery = (since: Date) => `updated_at:>'${since.toISOString()}'`;

// ---------------------------------------------------------------- Reading pages

interface Page<T> {
  items: T[];
  next: string | null;
}

function nextCursor(pageInfo: { hasNextPage: boolean; endCursor?: string | null }): string | null {
  if (!pageInfo.hasNextPage) return null;
  if (!pageInfo.endCursor) throw new Error("Shopify reported a next page without a cursor");
  return pageInfo.endCursor;
}

async function byIds<T>(ids: string[], batch: number, fetch: (ids: string[]) => Promise<(T | null)[]>): Promise<T[]> {
  const found: T[] = [];
  for (let start = 0; start < ids.length; start += batch) {
    for (const node of await fetch(ids.slice(start, start + batch))) if (node) found.push(node);
  }
  return found;
}

/** An order whose children did not fit in its page, read in full (line items paged, refunds and fulfillments by id). */
async function completeOrder(query: AdminQuery, order: OrderNode): Promise<OrderNode> {
  const lineItems: OrderNode["lineItems"]["nodes"] = [];
  let after: string | null = null;
  let details: z.infer<typeof OrderDetails>["order"];
  do {
    details = (
      await query("ShopdeskOrderDetails", ORDER_DETAILS_QUERY, {
        id: order.id,
        lineItems: NESTED_DETAIL_SIZES.lineItems,
        after,
        shippingLines: NESTED_DETAIL_SIZES.shippingLines,
        children: NESTED_DETAIL_SIZES.children,
      }, OrderDetails)
    ).order;
    // Deleted since its page was read: apply what the page held.
    if (!details) return order;
    lineItems.push(...details.lineItems.nodes);
    after = nextCursor(details.lineItems.pageInfo);
  } while (after);
  const children = { refundLineItems: NESTED_DETAIL_SIZES.refundLineItems, transactions: NESTED_DETAIL_SIZES.transactions };
  const refunds = await byIds(details.refunds.map((refund) => refund.id), CHILDREN_BATCH.refunds, async (ids) =>
    (await query("ShopdeskRefunds", REFUNDS_QUERY, { ids, ...children }, RefundsById)).nodes,
  );
  const shipping = { fulfillmentLineItems: NESTED_DETAIL_SIZES.fulfillmentLineItems, trackingInfo: NESTED_DETAIL_SIZES.trackingInfo };
  const fulfillments = await byIds(details.fulfillments.map((fulfillment) => fulfillment.id), CHILDREN_BATCH.fulfillments, async (ids) =>
    (await query("ShopdeskFulfillments", FULFILLMENTS_QUERY, { ids, ...shipping }, FulfillmentsById)).nodes,
  );
  return {
    ...order,
    lineItems: { nodes: lineItems, pageInfo: { hasNextPage: false } },
    shippingLines: details.shippingLines,
    refunds,
    fulfillments,
  };
}

async function ordersPage(query: AdminQuery, options: { first: number; after: string | null; search: string | null; sortKey: "ID" | "UPDATED_AT" }): Promise<Page<OrderSnapshot>> {
  const { orders } = await query(
    "ShopdeskOrdersPage",
    ORDERS_QUERY,
    { first: options.first, after: options.after, query: options.search, sortKey: options.sortKey, ...NESTED_PAGE_SIZES },
    OrdersPage,
  );
  const items: OrderSnapshot[] = [];
  for (const node of orders.nodes) items.push(orderFromGraphql(isTruncated(node) ? await completeOrder(query, node) : node));
  return { items, next: nextCursor(orders.pageInfo) };
}

// ---------------------------------------------------------------- Backfill

interface Run {
  db: PrismaClient;
  shopId: string;
  query: AdminQuery;
  options: SyncRunOptions;
}

/** Reads one resource from its stored cursor to the end, saving cursor and progress after every page. */
async function readResource<T>(run: Run, resource: SyncResource, fetchPage: (after: string | null) => Promise<Page<T>>, apply: (item: T) => Promise<unknown>) {
  const key = backfillKey(run.shopId, resource);
  const state = await readSyncState(run.db, key);
  let cursor = state?.cursor ?? null;
  let done = state?.done ?? 0;
  do {
    const page = await fetchPage(cursor);
    for (const item of page.items) await apply(item);
    done += page.items.length;
    cursor = page.next;
    await writeSyncState(run.db, key, { cursor, done });
    await run.options.heartbeat?.();
  } while (cursor);
}

const RESOURCE_READERS: Record<SyncResource, (run: Run, since: Date | null) => Promise<void>> = {
  customers: (run) =>
    readResource(
      run,
      "customers",
      async (after) => {
        const { customers } = await run.query("ShopdeskCustomersPage", CUSTOMERS_QUERY, { first: run.options.pageSizes?.customers ?? PAGE_SIZES.customers, after }, CustomersPage);
        return { items: customers.nodes, next: nextCursor(customers.pageInfo) };
      },
      (node) => applyCustomer(run.db, run.shopId, customerFromGraphql(node)),
    ),

  products: async (run) => {
    let changed = 0;
    await readResource(
      run,
      "products",
      async (after) => {
        const { products } = await run.query(
          "ShopdeskProductsPage",
          PRODUCTS_QUERY,
          { first: run.options.pageSizes?.products ?? PAGE_SIZES.products, after, variants: PRODUCT_VARIANTS_PAGE.page },
          ProductsPage,
        );
        return { items: products.nodes, next: nextCursor(products.pageInfo) };
      },
      async (node) => {
        // A product lists every variant it keeps (the writer deletes the others): read them all first.
        const variants = [...node.variants.nodes];
        let after = nextCursor(node.variants.pageInfo);
        while (after) {
          const { product } = await run.query("ShopdeskProductVariants", PRODUCT_VARIANTS_QUERY, { id: node.id, first: PRODUCT_VARIANTS_PAGE.detail, after }, ProductVariantsPage);
          if (!product) break;
          variants.push(...product.variants.nodes);
          after = nextCursor(product.variants.pageInfo);
        }
        const applied = await applyProduct(run.db, run.shopId, productFromGraphql(node, variants));
        if (applied.outcome !== "stale" && applied.outcome !== "unchanged") changed++;
      },
    );
    // Products are knowledge too: one refresh for the whole catalogue.
    if (changed > 0) {
      await queueProductKnowledgeSync(run.db, run.shopId);
    }
  },

  orders: (run, since) =>
    readResource(
      run,
      "orders",
      (after) =>
        ordersPage(run.query, {
          first: run.options.pageSizes?.orders ?? PAGE_SIZES.orders,
          after,
          search: since ? createdSinceQuery(since) : null,
          sortKey: "ID",
        }),
      (snapshot) => applyOrder(run.db, run.shopId, snapshot),
    ),
};

async function grantedScopes(db: PrismaClient, domain: string): Promise<string[]> {
  const session = await db.session.findFirst({ where: { shop: domain, isOnline: false }, select: { scope: true } });
  return (session?.scope ?? "").split(",").map((scope) => scope.trim());
}

export type BackfillResult =
  | { status: "done"; resumed: boolean; resources: Record<SyncResource, { done: number; total: number | null }> }
  | { status: "skipped"; reason: string };

/**
 * Backfills one shop. A backfill that did not finish is resumed from its stored cursors (resources already
 * done are not read again); otherwise a new one starts, with fresh totals. On failure the resource being read
 * is marked failed with the error and the error is rethrown (the job queue retries; ShopifyAccessError will
 * not get better by retrying).
 */
export async function runShopifyBackfill(
  db: PrismaClient,
  shopId: string,
  admin: AdminGraphqlRequest,
  options: SyncRunOptions & { trigger?: BackfillTrigger } = {},
): Promise<BackfillResult> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, installedAt: true } });
  const allOrders = (await grantedScopes(db, shop.domain)).includes("read_all_orders");
  const states = await Promise.all(BACKFILL_RESOURCES.map((resource) => readSyncState(db, backfillKey(shopId, resource))));
  const finished = states.every((state) => state?.status === "done");
  const resumed = states.some(Boolean) && !finished;
  const query = throttledAdmin(admin, options);

  if (!resumed) {
    const ordersState = states[BACKFILL_RESOURCES.indexOf("orders")];
    const coversInstall = finished && states.every((state) => state!.startedAt && state!.startedAt >= shop.installedAt);
    // Granting read_all_orders later widens what there is to read.
    const widened = allOrders && Boolean(ordersState?.since);
    if (options.trigger === "install" && coversInstall && !widened) {
      await scheduleShopifyReconcile(db, shopId, { runAt: new Date(Date.now() + RECONCILE_INTERVAL_MS) });
      return { status: "skipped", reason: "this installation is already backfilled; reconciliation keeps it current" };
    }
    const since = allOrders ? null : new Date(Date.now() - DEFAULT_ORDER_WINDOW_DAYS * 24 * 3600_000);
    await db.$transaction(async (tx) => {
      for (const resource of BACKFILL_RESOURCES) {
        await writeSyncState(tx, backfillKey(shopId, resource), {
          status: "idle",
          cursor: null,
          done: 0,
          total: null,
          repaired: 0,
          since: resource === "orders" ? since : null,
          startedAt: null,
          finishedAt: null,
          lastError: null,
        });
      }
    });
  }

  // Totals for progress, once per backfill (a resumed run already has them).
  const current = await Promise.all(BACKFILL_RESOURCES.map((resource) => readSyncState(db, backfillKey(shopId, resource))));
  if (current.some((state) => state?.total == null)) {
    const since = current[BACKFILL_RESOURCES.indexOf("orders")]?.since ?? null;
    const counts = await query("ShopdeskBackfillCounts", COUNTS_QUERY, { ordersQuery: since ? createdSinceQuery(since) : null }, Counts);
    const totals: Record<SyncResource, number | null> = {
      customers: counts.customersCount?.count ?? null,
      products: counts.productsCount?.count ?? null,
      orders: counts.ordersCount?.count ?? null,
    };
    for (const resource of BACKFILL_RESOURCES) await writeSyncState(db, backfillKey(shopId, resource), { total: totals[resource] });
  }

  const run: Run = { db, shopId, query, options };
  for (const resource of BACKFILL_RESOURCES) {
    const key = backfillKey(shopId, resource);
    const state = await readSyncState(db, key);
    if (state?.status === "done") continue;
    await writeSyncState(db, key, { status: "running", startedAt: state?.startedAt ?? new Date(), finishedAt: null, lastError: null });
    try {
      await RESOURCE_READERS[resource](run, state?.since ?? null);
    } catch (error) {
      await writeSyncState(db, key, { status: "failed", lastError: failureMessage(error) });
      throw error;
    }
    const finishedAt = new Date();
    await writeSyncState(db, key, { status: "done", cursor: null, finishedAt, lastSuccessAt: finishedAt });
  }

  await scheduleShopifyReconcile(db, shopId, { runAt: new Date(Date.now() + RECONCILE_INTERVAL_MS) });
  const final = await Promise.all(BACKFILL_RESOURCES.map((resource) => readSyncState(db, backfillKey(shopId, resource))));
  const resources = Object.fromEntries(BACKFILL_RESOURCES.map((resource, index) => [resource, { done: final[index]!.done, total: final[index]!.total }]));
  return { status: "done", resumed, resources: resources as Record<SyncResource, { done: number; total: number | null }> };
}

// ---------------------------------------------------------------- Reconciliation

export type ReconcileResult = { status: "done"; since: Date; read: number; repaired: number } | { status: "skipped"; reason: string };

/** Where this run starts reading: a little before the last successful run (or the orders backfill) began. */
async function reconcileSince(db: PrismaClient, shopId: string): Promise<Date | null> {
  const previous = await readSyncState(db, reconcileKey(shopId));
  if (previous?.status === "done" && previous.startedAt) return new Date(previous.startedAt.getTime() - RECONCILE_OVERLAP_MS);
  // A failed or interrupted run did not cover its window: read it again.
  if (previous?.since) return previous.since;
  const backfill = await readSyncState(db, backfillKey(shopId, "orders"));
  if (backfill?.status === "done" && backfill.startedAt) return new Date(backfill.startedAt.getTime() - RECONCILE_OVERLAP_MS);
  return null;
}

/**
 * Re-reads the orders Shopify updated since the last successful sync and applies them; `repaired` counts the
 * ones that were missing or older here (created or updated), i.e. what webhooks had not delivered.
 */
export async function reconcileShopifyOrders(db: PrismaClient, shopId: string, admin: AdminGraphqlRequest, options: SyncRunOptions = {}): Promise<ReconcileResult> {
  const since = await reconcileSince(db, shopId);
  if (!since) return { status: "skipped", reason: "no finished orders backfill to reconcile against yet" };
  const key = reconcileKey(shopId);
  await writeSyncState(db, key, { status: "running", since, startedAt: new Date(), finishedAt: null, cursor: null, done: 0, repaired: 0, lastError: null });
  const query = throttledAdmin(admin, options);
  let read = 0;
  let repaired = 0;
  try {
    let after: string | null = null;
    do {
      const page: Page<OrderSnapshot> = await ordersPage(query, {
        first: options.pageSizes?.orders ?? PAGE_SIZES.orders,
        after,
        search: updatedSinceQuery(since),
        sortKey: "UPDATED_AT",
      });
      for (const snapshot of page.items) {
        const { outcome } = await applyOrder(db, shopId, snapshot);
        if (outcome === "created" || outcome === "updated") repaired++;
      }
      read += page.items.length;
      after = page.next;
      await writeSyncState(db, key, { done: read, repaired });
      await options.heartbeat?.();
    } while (after);
  } catch (error) {
    await writeSyncState(db, key, { status: "failed", lastError: failureMessage(error) });
    throw error;
  }
  const finishedAt = new Date();
  await writeSyncState(db, key, { status: "done", finishedAt, lastSuccessAt: finishedAt });
  return { status: "done", since, read, repaired };
}

// ---------------------------------------------------------------- Jobs and scheduling

const SyncPayload = z.object({ shopId: z.string(), trigger: z.enum(["install", "resync"]).default("resync") });

/** The shop's Admin API, or null when there is no Shopify behind it (uninstalled, or the demo store). */
export type ShopifyAdminFor = (shopId: string) => Promise<AdminGraphqlRequest | null>;

export function enqueueShopifyBackfill(db: PrismaClient, shopId: string, trigger: BackfillTrigger) {
  return enqueueJob(db, { name: SHOPIFY_BACKFILL_JOB, shopId, payload: { shopId, trigger }, dedupeKey: backfillDedupeKey(shopId) });
}

/**
 * Asks for a backfill now (CLI, Integrations screen): a new one is queued, or the one already waiting is
 * made a resync due now. Returns its job id, or null when one is running already.
 */
export async function requestShopifyResync(db: PrismaClient, shopId: string): Promise<string | null> {
  const queued = await enqueueShopifyBackfill(db, shopId, "resync");
  if (queued) return queued;
  const waiting = await db.job.findFirst({ where: { dedupeKey: backfillDedupeKey(shopId), status: "queued" }, select: { id: true } });
  if (!waiting) return null;
  await db.job.update({ where: { id: waiting.id }, data: { payload: { shopId, trigger: "resync" }, runAt: new Date() } });
  return waiting.id;
}

/**
 * Queues the shop's next reconciliation; one per shop waits at a time. A running reconciliation passes its own
 * job id: it still holds the per-shop key (unique while queued or running), so it gives the key up first.
 */
export async function scheduleShopifyReconcile(db: PrismaClient, shopId: string, options: { runAt: Date; fromJobId?: string }) {
  await db.$transaction(async (tx) => {
    if (options.fromJobId) await tx.job.update({ where: { id: options.fromJobId }, data: { dedupeKey: null } });
    await enqueueJob(tx, { name: SHOPIFY_RECONCILE_JOB, shopId, payload: { shopId }, dedupeKey: reconcileDedupeKey(shopId), runAt: options.runAt });
  });
}

async function installedShop(db: PrismaClient, shopId: string) {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true } });
  return shop && !shop.uninstalledAt;
}

/** Records that Shopify refused access before any page was read (e.g. no offline session). */
async function recordAccessFailure(db: PrismaClient, keys: ReturnType<typeof backfillKey | typeof reconcileKey>[], error: ShopifyAccessError) {
  for (const key of keys) {
    const state = await readSyncState(db, key);
    if (state?.status !== "done") await writeSyncState(db, key, { status: "failed", lastError: failureMessage(error) });
  }
}

/**
 * Job handler for SHOPIFY_BACKFILL_JOB. Transient failures are rethrown (the queue retries; the rerun resumes
 * from the stored cursors); a refused access token stops here with the backfill marked failed.
 */
export function shopifyBackfillJob(db: PrismaClient, adminFor: ShopifyAdminFor, options: SyncRunOptions = {}) {
  return async (job: Job, context?: JobContext) => {
    const { shopId, trigger } = SyncPayload.parse(job.payload);
    if (!(await installedShop(db, shopId))) return;
    try {
      const admin = await adminFor(shopId);
      if (!admin) return;
      await runShopifyBackfill(db, shopId, admin, { ...options, trigger, heartbeat: context?.heartbeat });
    } catch (error) {
      if (!(error instanceof ShopifyAccessError)) throw error;
      await recordAccessFailure(
        db,
        BACKFILL_RESOURCES.map((resource) => backfillKey(shopId, resource)),
        error,
      );
    }
  };
}

/**
 * Job handler for SHOPIFY_RECONCILE_JOB: reconciles, then queues the next run. A failed run is recorded and
 * the next run reads its window again; the chain stops when the shop is uninstalled or refuses access
 * (re-authenticating runs the backfill, which starts the chain again).
 */
export function shopifyReconcileJob(db: PrismaClient, adminFor: ShopifyAdminFor, options: SyncRunOptions = {}) {
  return async (job: Job, context?: JobContext) => {
    const { shopId } = SyncPayload.parse(job.payload);
    if (!(await installedShop(db, shopId))) return;
    try {
      const admin = await adminFor(shopId);
      if (!admin) return;
      await reconcileShopifyOrders(db, shopId, admin, { ...options, heartbeat: context?.heartbeat });
    } catch (error) {
      if (error instanceof ShopifyAccessError) {
        await recordAccessFailure(db, [reconcileKey(shopId)], error);
        return;
      }
      console.error(`[sync] reconciliation of shop ${shopId} failed; the next run retries: ${failureMessage(error)}`);
    }
    await scheduleShopifyReconcile(db, shopId, { runAt: new Date(Date.now() + RECONCILE_INTERVAL_MS), fromJobId: job.id });
  };
}

/** Backfill and reconciliation state of a shop's Shopify sync, for the CLI and the Integrations screen. */
export function shopifySyncStatus(db: PrismaClient, shopId: string) {
  return syncStatusReport(db, shopId, platform, SHOPIFY_RECONCILE_JOB);
}
