import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { closePool } from "./lib/db/pool.server";

/**
 * The one Prisma client (driver adapter, no Rust engine). Entry points call prepareDatabase() first,
 * which sets DATABASE_URL to the embedded server when none was configured.
 */
function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: call prepareDatabase() (app/lib/db/prepare.server.ts) before using the database");
  }
  const max = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

declare global {
  // Survives module reloads in development so connections are not leaked.
  var __shopdeskPrisma: PrismaClient | undefined;
}

let client: PrismaClient | undefined = globalThis.__shopdeskPrisma;

/** Lazily created so importing this module never opens a connection. */
export function getPrisma(): PrismaClient {
  if (!client) {
    client = createClient();
    if (process.env.NODE_ENV !== "production") globalThis.__shopdeskPrisma = client;
  }
  return client;
}

/** Closes the Prisma client and the plain pool beside it (app/lib/db/pool.server.ts). */
export async function disconnectPrisma() {
  await closePool();
  if (client) await client.$disconnect();
  client = undefined;
  globalThis.__shopdeskPrisma = undefined;
}

const prisma = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const real = getPrisma();
    const value = Reflect.get(real, property, real);
    return typeof value === "function" ? value.bind(real) : value;
  },
  // `"$transaction" in prisma` must tell the truth: code tells a client from a transaction client that way.
  has(_target, property) {
    return Reflect.has(getPrisma(), property);
  },
});

export default prisma;
