import type { Platform, Prisma, PrismaClient, SyncState } from "@prisma/client";

/**
 * Progress of a shop's backfill and reconciliation, one row per (platform, kind, resource), so a run can
 * resume where it stopped and the Integrations screen (and `npm run cli -- sync status`) can show it.
 */

export type SyncKind = "backfill" | "reconcile";
export type SyncResource = "customers" | "products" | "orders";

/** The order a backfill reads resources in: orders refer to customers and products. */
export const BACKFILL_RESOURCES: readonly SyncResource[] = ["customers", "products", "orders"];

type Db = PrismaClient | Prisma.TransactionClient;
type Key = { shopId: string; platform: Platform; kind: SyncKind; resource: SyncResource };
type Fields = Partial<Pick<SyncState, "status" | "cursor" | "done" | "total" | "repaired" | "since" | "startedAt" | "finishedAt" | "lastSuccessAt" | "lastError">>;

const where = (key: Key) => ({ shopId_platform_kind_resource: key });

export function readSyncState(db: Db, key: Key): Promise<SyncState | null> {
  return db.syncState.findUnique({ where: where(key) });
}

export function writeSyncState(db: Db, key: Key, fields: Fields): Promise<SyncState> {
  return db.syncState.upsert({ where: where(key), create: { ...key, ...fields }, update: fields });
}

/** A failure as operators read it: the message, trimmed to fit a status line. */
export function failureMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
}

export interface SyncStateView {
  status: string;
  done: number;
  total: number | null;
  cursor: boolean;
  since: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
}

function view(state: SyncState | undefined): SyncStateView {
  return {
    status: state?.status ?? "idle",
    done: state?.done ?? 0,
    total: state?.total ?? null,
    cursor: Boolean(state?.cursor),
    since: state?.since?.toISOString() ?? null,
    startedAt: state?.startedAt?.toISOString() ?? null,
    finishedAt: state?.finishedAt?.toISOString() ?? null,
    lastSuccessAt: state?.lastSuccessAt?.toISOString() ?? null,
    lastError: state?.lastError ?? null,
  };
}

export interface SyncStatusReport {
  backfill: Record<SyncResource, SyncStateView>;
  reconcile: { orders: SyncStateView & { repaired: number; nextRunAt: string | null } };
}

/** Backfill and reconciliation state of one shop and platform, every resource listed even before its first run. */
export async function syncStatusReport(db: Db, shopId: string, platform: Platform, reconcileJobName: string): Promise<SyncStatusReport> {
  const [states, next] = await Promise.all([
    db.syncState.findMany({ where: { shopId, platform } }),
    db.job.findFirst({ where: { shopId, name: reconcileJobName, status: "queued" }, orderBy: { runAt: "asc" }, select: { runAt: true } }),
  ]);
  const find = (kind: SyncKind, resource: SyncResource) => states.find((state) => state.kind === kind && state.resource === resource);
  const reconcile = find("reconcile", "orders");
  return {
    backfill: { customers: view(find("backfill", "customers")), products: view(find("backfill", "products")), orders: view(find("backfill", "orders")) },
    reconcile: { orders: { ...view(reconcile), repaired: reconcile?.repaired ?? 0, nextRunAt: next?.runAt.toISOString() ?? null } },
  };
}
