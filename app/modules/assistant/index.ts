export { checkReply, detectPromptInjection } from "./guardrails";
export { handoffMessage } from "./handoff";
export { ChatModelError, type ChatModel, type GenerateRequest, type GenerateResult, type ToolSpec } from "./llm/types";
export { analyzeMessage, type NluResult } from "./nlu";
export { maskEmail, maskPaymentCards, maskPii } from "./pii";
export { awaitsVerification, readDialogueState, type DialogueState } from "./dialogue/state";
export type { ReplyDraft } from "./responder/offline.server";
export { orderActionNoticeText } from "./responder/order-action-notices";
export { type AssistantProfile, type AssistantSettings, invalidateAssistantProfile, loadAssistantProfile, ShopNotFoundError } from "./settings.server";
export { BRAND_TONE_IDS, BRAND_TONES, type BrandTone, isBrandTone } from "./brand-voice";
/** The languages the assistant has its own words for, and so the ones a merchant may limit its replies to. */
export { PHRASE_LANGUAGES as REPLY_LANGUAGES } from "./responder/phrases";
export { TOOL_SPECS } from "./tools/registry.server";
export { type AssistantTurnInput, type AssistantTurnResult, type HistoryMessage, type KnowledgePrefetch, prefetchKnowledge, runAssistantTurn } from "./turn.server";
export { hasPhrases, phrase } from "./responder/phrases";
export { chatModelFromEnv } from "./llm/index.server";
export { type VerifyOutcome, verifyOrderForConversation } from "./verify.server";
export type { OrderView } from "./tools/orders.server";
export { draftStaffReply, type StaffDraft, type StaffDraftMessage } from "./staff-draft.server";
