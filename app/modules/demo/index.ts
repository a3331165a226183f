/** The demo module: the seeded "Northwind Outfitters" shop used by `npm run demo`, `npm run db:seed` and benchmarks. */
export { DEMO_SHOP_NAME, STORE_FACTS } from "./seed-data";
export { type SeedDemoShopOptions, type SeedSummary, seedDemoShop } from "./seed.server";
