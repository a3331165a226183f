/**
 * Puts part of the demo shop back as the seed leaves it, for a browser test that needs it so:
 *   node --import tsx/esm tests/e2e/support/demo-reset.ts onboarding           (the setup checklist's marks)
 *   node --import tsx/esm tests/e2e/support/demo-reset.ts shopify-deliveries   (recorded Shopify webhooks, e.g. an earlier run's compliance webhooks)
 * Prints JSON. Same database as the e2e demo server (tests/setup/database.ts).
 */
import { testDatabaseEnv } from "../../setup/database";

const part = process.argv[2];
if (part !== "onboarding" && part !== "shopify-deliveries") throw new Error(`demo-reset: say what to reset (onboarding or shopify-deliveries), not ${part}`);
Object.assign(process.env, testDatabaseEnv());
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { getEnv } = await import("../../../app/env.server");
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: getEnv().DEMO_SHOP } });
const { count } =
  part === "onboarding"
    ? await prisma.actionLog.deleteMany({ where: { shopId: shop.id, targetType: "onboarding" } })
    : await prisma.webhookEvent.deleteMany({ where: { shopId: shop.id, platform: "shopify" } });
console.log(JSON.stringify({ deleted: count }));
await disconnectPrisma();
