export {
  type ChatBubblePosition,
  type ChatBubbleSettings,
  type ChatBubbleShowOn,
  type DemoStorefrontCustomer,
  type RenderDemoStorefrontOptions,
  readExtensionAsset,
  renderChatBubbleBlock,
  renderDemoStorefront,
} from "./demo-storefront.server";
