export {
  ConversationError,
  findConversationByToken,
  getConversation,
  hashConversationToken,
  listPublicMessages,
  MAX_MESSAGE_LENGTH,
  parseMessageText,
  postStaffMessage,
  rateConversation,
  startConversation,
} from "./conversations.server";
export { type ConversationEvent, type PublicMessage, publishConversationEvent, subscribeToConversation } from "./events.server";
export { handleShopperMessage, type ShopperTurnOptions, type ShopperTurnResult } from "./turn.server";
