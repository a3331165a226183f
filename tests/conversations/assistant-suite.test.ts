import "./offline-env";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { ARTICLES, DEMO_SHOP_NAME, POLICIES, PRODUCTS } from "~/modules/demo/seed-data";
import { ALL_CASES } from "./cases";
import type { ShopFacts } from "./fixtures/facts";
import { createDemoShop } from "./fixtures/demo-shop";
import { BERGFINK, BERGFINK_PRODUCTS, createSecondShop } from "./fixtures/second-shop";
import { renderReport, score } from "./report";
import { type CaseResult, runCase, type ShopContext } from "./runner";
import type { ShopKey } from "./types";

/**
 * Issue 11's conversation suite: whole conversations through the storefront chat API on PostgreSQL with the
 * offline providers, on the demo shop and on a second shop with different policies, scored per conversation.
 * The held-out split is for measuring, not for tuning: look at dev failures when fixing, at held-out only to report.
 *
 *   npx vitest run tests/conversations      (the table is printed and written to
 *                                                                      test-results/conversation-suite.md)
 *   CONVERSATIONS=<regexp on ids>  run only matching conversations;  CONVERSATIONS_VERBOSE=1  transcripts of failures
 */

// The floors the dev and held-out pass rates (0..1) must stay at or above: measured 0.85 and 0.74 on 2026-12-02,
// set a little lower because the demo shop's orders are seeded relative to today.
const SCORE_FLOORS = { dev: 0.75, holdout: 0.65 };

const filter = process.env.CONVERSATIONS ? new RegExp(process.env.CONVERSATIONS) : null;
const cases = filter ? ALL_CASES.filter((kase) => filter.test(kase.id)) : ALL_CASES;

describe("assistant conversation suite (issue 11)", () => {
  const shops = new Map<ShopKey, ShopContext>();
  let results: CaseResult[] = [];

  beforeAll(async () => {
    const needed = new Set(cases.map((kase) => kase.shop));
    if (needed.has("demo")) {
      const facts = await createDemoShop(prisma);
      const names = [DEMO_SHOP_NAME, ...PRODUCTS.map((product) => product.title), ...ARTICLES.map((article) => article.title), ...POLICIES.map((policy) => policy.title)];
      shops.set("demo", { facts, properNames: [...names, "UPS", "USPS", "FedEx", "DHL", "DHL Express", "Shop Pay", "Apple Pay", "Google Pay", "PayPal"] });
    }
    if (needed.has("bergfink")) {
      const facts = await createSecondShop(prisma);
      shops.set("bergfink", { facts, properNames: [BERGFINK.name, ...BERGFINK_PRODUCTS.map((product) => product.title), "DHL", "Klarna", "PayPal", "Apple Pay", "Live Tracking"] });
    }
  }, 600_000);

  afterAll(async () => {
    if (process.env.CONVERSATIONS_KEEP) return;
    const ids = [...shops.values()].map((shop: ShopContext) => shop.facts.shopId);
    if (ids.length) await prisma.shop.deleteMany({ where: { id: { in: ids } } });
  }, 120_000);

  it("has the shape the issue asks for: ≥ 60 conversations, mostly multi-turn, 4 languages, 2 shops, a held-out third", () => {
    const ids = ALL_CASES.map((kase) => kase.id);
    expect(new Set(ids).size, "conversation ids are unique").toBe(ids.length);
    expect(ALL_CASES.length).toBeGreaterThanOrEqual(60);
    expect(ALL_CASES.filter((kase) => kase.turns.length >= 2).length / ALL_CASES.length).toBeGreaterThan(0.5);
    for (const locale of ["fr", "de", "es"] as const) expect(ALL_CASES.filter((kase) => kase.locale === locale).length, locale).toBeGreaterThanOrEqual(10);
    for (const shop of ["demo", "bergfink"] as const) expect(ALL_CASES.filter((kase) => kase.shop === shop).length, shop).toBeGreaterThanOrEqual(25);
    const holdout = ALL_CASES.filter((kase) => kase.split === "holdout");
    expect(holdout.length / ALL_CASES.length).toBeGreaterThanOrEqual(0.28);
    expect(holdout.length / ALL_CASES.length).toBeLessThanOrEqual(0.4);
    // The held-out set spreads over every category and language, so its score means the same thing as dev's.
    expect(new Set(holdout.map((kase) => kase.category)).size).toBe(7);
    expect(new Set(holdout.map((kase) => kase.locale)).size).toBe(4);
  });

  it(
    "scores every conversation and stays at or above the floors",
    async () => {
      results = [];
      for (const kase of cases) {
        const shop = shops.get(kase.shop);
        if (!shop) throw new Error(`no fixture for shop ${kase.shop}`);
        results.push(await runCase(prisma, kase, shop));
      }
      const report = renderReport(results, { verbose: Boolean(process.env.CONVERSATIONS_VERBOSE) });
      const out = path.resolve("test-results");
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, "conversation-suite.md"), `${report}\n`);
      writeFileSync(path.join(out, "conversation-suite.json"), `${JSON.stringify({ at: new Date().toISOString(), shops: Object.fromEntries([...shops].map(([key, shop]) => [key, shopSummary(shop.facts)])), results }, null, 2)}\n`);
      console.log(`\n${report}\n\n(also in test-results/conversation-suite.md; transcripts in conversation-suite.json)\n`);

      expect(results).toHaveLength(cases.length);
      const dev = score(results.filter((result) => result.split === "dev"));
      const holdout = score(results.filter((result) => result.split === "holdout"));
      expect(dev.rate, "dev pass rate").toBeGreaterThanOrEqual(SCORE_FLOORS.dev);
      expect(holdout.rate, "held-out pass rate").toBeGreaterThanOrEqual(SCORE_FLOORS.holdout);
    },
    1_200_000,
  );
});

/** Which orders played which role (the demo's change with the date), for reading the transcripts. */
function shopSummary(facts: ShopFacts) {
  return { domain: facts.domain, orders: Object.fromEntries(Object.entries(facts.orders).map(([role, order]) => [role, { name: order.name, email: order.email, items: order.items, amounts: order.amounts }])) };
}
