export { handleIntegrationAction, type IntegrationActionResult, retryFailure } from "./actions.server";
export {
  type ActivityView,
  type FailureView,
  type IntegrationsOverview,
  integrationsOverview,
  type ProgressView,
  type ReconcileView,
  type ShopifyCardView,
  type WooCommerceCardView,
} from "./overview.server";
