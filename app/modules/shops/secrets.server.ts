import type { PrismaClient } from "@prisma/client";
import { type SecretBox, SecretDecryptionError } from "~/lib/crypto/secrets.server";

/** Per table: rows re-encrypted with the current key, rows already on it, and rows no key opens (ids only). */
export interface RotationCount {
  resealed: number;
  current: number;
  /** Rows the app rewrote while the rotation read them (the app writes with the current key anyway). */
  skipped: number;
  failed: string[];
}

export interface RotationReport {
  sessions: RotationCount;
  integrations: RotationCount;
}

const BATCH = 500;

/**
 * Re-encrypts every stored secret with the current key (`npm run -s cli -- secrets rotate`): Shopify access and
 * refresh tokens in Session (including rows stored before encryption at rest) and integration credentials.
 * First every value is opened; if any opens with neither key (a wrong ENCRYPTION_KEY, a missing
 * ENCRYPTION_KEY_PREVIOUS) nothing is written and the rows are reported, so a wrong key never seals anything.
 * Each row is rewritten only if it still holds what was read, so a session the app stores meanwhile is kept.
 */
export async function rotateStoredSecrets(db: PrismaClient, box: SecretBox): Promise<RotationReport> {
  const checked = { sessions: await rotateSessions(db, box, false), integrations: await rotateIntegrations(db, box, false) };
  if (checked.sessions.failed.length > 0 || checked.integrations.failed.length > 0) return checked;
  return { sessions: await rotateSessions(db, box, true), integrations: await rotateIntegrations(db, box, true) };
}

type Columns = Record<string, string | null>;

/** One table's rows, page by page in id order: opens each secret column and re-seals the stale ones. */
async function rotateRows<Row extends { id: string }>(options: {
  box: SecretBox;
  write: boolean;
  page: (after: string) => Promise<Row[]>;
  columns: (row: Row) => Columns;
  describe: (row: Row, column: string) => string;
  update: (row: Row, resealed: Record<string, string>) => Promise<boolean>;
}): Promise<RotationCount> {
  const count: RotationCount = { resealed: 0, current: 0, skipped: 0, failed: [] };
  let after = "";
  for (;;) {
    const rows = await options.page(after);
    if (rows.length === 0) return count;
    after = rows.at(-1)!.id;
    for (const row of rows) {
      const resealed: Record<string, string> = {};
      try {
        for (const [column, stored] of Object.entries(options.columns(row))) {
          if (!stored) continue;
          const opened = options.box.open(stored, options.describe(row, column));
          if (opened.stale) resealed[column] = options.box.seal(opened.plaintext);
        }
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        count.failed.push(row.id);
        continue;
      }
      if (Object.keys(resealed).length === 0) count.current++;
      else if (!options.write || (await options.update(row, resealed))) count.resealed++;
      else count.skipped++;
    }
  }
}

function rotateSessions(db: PrismaClient, box: SecretBox, write: boolean) {
  return rotateRows({
    box,
    write,
    page: (after) => db.session.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take: BATCH, select: { id: true, accessToken: true, refreshToken: true } }),
    columns: (row) => ({ accessToken: row.accessToken, refreshToken: row.refreshToken }),
    describe: (row, column) => `The ${column === "accessToken" ? "access" : "refresh"} token of session ${row.id}`,
    update: async (row, resealed) => {
      const { count } = await db.session.updateMany({ where: { id: row.id, accessToken: row.accessToken, refreshToken: row.refreshToken }, data: resealed });
      return count === 1;
    },
  });
}

function rotateIntegrations(db: PrismaClient, box: SecretBox, write: boolean) {
  return rotateRows({
    box,
    write,
    page: (after) =>
      db.integration.findMany({ where: { id: { gt: after }, encryptedCredentials: { not: null } }, orderBy: { id: "asc" }, take: BATCH, select: { id: true, encryptedCredentials: true } }),
    columns: (row) => ({ encryptedCredentials: row.encryptedCredentials }),
    describe: (row) => `The credentials of integration ${row.id}`,
    update: async (row, resealed) => {
      const { count } = await db.integration.updateMany({ where: { id: row.id, encryptedCredentials: row.encryptedCredentials }, data: resealed });
      return count === 1;
    },
  });
}
