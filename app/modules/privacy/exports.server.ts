import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";

/**
 * customers/data_request exports: stored when Shopify asks, downloaded by the merchant from the admin (who
 * sends them to the customer), deleted when they expire or when customers/redact erases the customer.
 */

/** How long the merchant can download an export; then the retention job deletes its content. */
export const DATA_REQUEST_EXPORT_DAYS = 30;
const DAY_MS = 86_400_000;

type Db = PrismaClient | Prisma.TransactionClient;

export async function createDataRequestExport(
  db: PrismaClient,
  input: {
    shopId: string;
    dataRequestId: string | null;
    customerExternalId: string | null;
    customerEmail: string | null;
    content: Prisma.InputJsonValue;
    counts: { customers: number; orders: number; conversations: number };
    now?: Date;
  },
) {
  const requestedAt = input.now ?? new Date();
  try {
    return await db.$transaction(async (tx) => {
      const created = await tx.dataRequestExport.create({
        data: {
          shopId: input.shopId,
          dataRequestId: input.dataRequestId,
          customerExternalId: input.customerExternalId,
          customerEmail: input.customerEmail,
          content: input.content,
          customerCount: input.counts.customers,
          orderCount: input.counts.orders,
          conversationCount: input.counts.conversations,
          requestedAt,
          expiresAt: new Date(requestedAt.getTime() + DATA_REQUEST_EXPORT_DAYS * DAY_MS),
        },
        select: { id: true },
      });
      // The audit trail names the export, not the customer: it outlives the export's content.
      await tx.actionLog.create({
        data: {
          shopId: input.shopId,
          actor: "shopify",
          action: "compliance.data_request",
          targetType: "data_request_export",
          targetId: created.id,
          reason: "customers/data_request webhook",
          idempotencyKey: `data_request:${created.id}`,
          input: { dataRequestId: input.dataRequestId },
          result: { ...input.counts },
          createdAt: requestedAt,
        },
      });
      return created;
    });
  } catch (error) {
    // A repeated request with the same id keeps the first export.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") || !input.dataRequestId) throw error;
    return db.dataRequestExport.findUniqueOrThrow({
      where: { shopId_dataRequestId: { shopId: input.shopId, dataRequestId: input.dataRequestId } },
      select: { id: true },
    });
  }
}

export type DataRequestExportState = "ready" | "expired" | "erased";

export interface DataRequestExportRow {
  id: string;
  dataRequestId: string | null;
  customerExternalId: string | null;
  customerEmail: string | null;
  customerCount: number;
  orderCount: number;
  conversationCount: number;
  requestedAt: string;
  expiresAt: string;
  state: DataRequestExportState;
  downloadCount: number;
  lastDownloadedAt: string | null;
}

function stateOf(row: { contentDeletedReason: string | null; expiresAt: Date }, now: Date, hasContent: boolean): DataRequestExportState {
  if (row.contentDeletedReason === "redacted") return "erased";
  if (!hasContent || row.expiresAt <= now) return "expired";
  return "ready";
}

export const DATA_REQUEST_LIST_LIMIT = 100;

/** The shop's exports, newest first, without their content. */
export async function listDataRequestExports(db: Db, shopId: string, now = new Date()): Promise<DataRequestExportRow[]> {
  const rows = await db.dataRequestExport.findMany({
    where: { shopId },
    orderBy: { requestedAt: "desc" },
    take: DATA_REQUEST_LIST_LIMIT,
    select: {
      id: true,
      dataRequestId: true,
      customerExternalId: true,
      customerEmail: true,
      customerCount: true,
      orderCount: true,
      conversationCount: true,
      requestedAt: true,
      expiresAt: true,
      contentDeletedAt: true,
      contentDeletedReason: true,
      downloadCount: true,
      lastDownloadedAt: true,
    },
  });
  return rows.map((row) => ({
    id: row.id,
    dataRequestId: row.dataRequestId,
    customerExternalId: row.customerExternalId,
    customerEmail: row.customerEmail,
    customerCount: row.customerCount,
    orderCount: row.orderCount,
    conversationCount: row.conversationCount,
    requestedAt: row.requestedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    state: stateOf(row, now, row.contentDeletedAt === null),
    downloadCount: row.downloadCount,
    lastDownloadedAt: row.lastDownloadedAt?.toISOString() ?? null,
  }));
}

export type ExportDownload =
  | { kind: "not_found" }
  | { kind: "expired"; expiresAt: Date }
  | { kind: "erased" }
  | { kind: "ready"; fileName: string; json: string };

/**
 * One export for a staff member of its shop: its JSON, counted and logged as downloaded. Past its expiry it
 * is gone even before the retention job deletes the content.
 */
export async function downloadDataRequestExport(db: PrismaClient, input: { shopId: string; exportId: string; staffId: string; now?: Date }): Promise<ExportDownload> {
  const now = input.now ?? new Date();
  const row = await db.dataRequestExport.findFirst({ where: { id: input.exportId, shopId: input.shopId } });
  if (!row) return { kind: "not_found" };
  const state = stateOf(row, now, row.content !== null);
  if (state === "erased") return { kind: "erased" };
  if (state === "expired") return { kind: "expired", expiresAt: row.expiresAt };
  await db.$transaction([
    db.dataRequestExport.update({ where: { id: row.id }, data: { downloadCount: { increment: 1 }, lastDownloadedAt: now } }),
    db.actionLog.create({
      data: {
        shopId: input.shopId,
        actor: `staff:${input.staffId}`,
        action: "compliance.data_request_downloaded",
        targetType: "data_request_export",
        targetId: row.id,
        idempotencyKey: `data_request_download:${randomUUID()}`,
        createdAt: now,
      },
    }),
  ]);
  const name = (row.dataRequestId ?? row.id).replace(/[^A-Za-z0-9_-]/g, "");
  return { kind: "ready", fileName: `data-request-${name}.json`, json: JSON.stringify(row.content, null, 2) };
}

/** Deletes the content of exports past their expiry (the rows stay as the record of the request). */
export async function deleteExpiredExports(db: Db, now = new Date()): Promise<number> {
  return db.$executeRaw`
    UPDATE "DataRequestExport" SET "content" = NULL, "contentDeletedAt" = ${now}, "contentDeletedReason" = 'expired'
    WHERE "content" IS NOT NULL AND "expiresAt" <= ${now}`;
}
