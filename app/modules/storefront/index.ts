export {
  ChatApiError,
  chatEndpoint,
  conversationFor,
  enforceRateLimit,
  openConversation,
  parseBody,
  readJsonBody,
  readMessageText,
  type ProxyCaller,
  type RequestContext,
  RATE_LIMITS,
  StartBody,
  streamEvents,
  streamReply,
  VerifyBody,
} from "./chat-api.server";
export { CONVERSATION_HEADER, type ChatMessage, type ConversationSnapshot, type OrderCard, type StreamEvent } from "./chat-contract";
