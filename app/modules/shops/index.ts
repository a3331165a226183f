export { ensureShop, getShopOverview, getWidgetConfig, markShopUninstalled, type ShopOverview } from "./shops.server";
