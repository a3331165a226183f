/**
 * Forgets the demo shop's setup-checklist marks, so the dashboard shows the checklist again:
 *   node --import tsx/esm tests/e2e/support/onboarding-reset.ts
 * Prints JSON. Same database as the e2e demo server (tests/setup/database.ts).
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { getEnv } = await import("../../../app/env.server");
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: getEnv().DEMO_SHOP } });
const { count } = await prisma.actionLog.deleteMany({ where: { shopId: shop.id, targetType: "onboarding" } });
console.log(JSON.stringify({ deleted: count }));
await disconnectPrisma();
