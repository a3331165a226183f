export { ensureShop, getShopOverview, getWidgetConfig, markShopUninstalled, type ShopOverview } from "./shops.server";
export { type RotationReport, rotateStoredSecrets } from "./secrets.server";
