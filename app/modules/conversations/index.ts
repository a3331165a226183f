export {
  addMessage,
  ConversationError,
  findConversationByToken,
  getConversation,
  hashConversationToken,
  listPublicMessages,
  listPublicMessagesAfter,
  parseMessageText,
  rateConversation,
  startConversation,
  toOrderCard,
} from "./conversations.server";
export { type ConversationEvent, type PublicMessage, publishConversationEvent } from "./events.server";
export { handleShopperMessage, type ShopperTurnOptions, type ShopperTurnResult } from "./turn.server";
export { requestHandoff, type VerifyResult, verifyOrder } from "./shopper-actions.server";
export { markShopperRead } from "./read-receipts.server";
