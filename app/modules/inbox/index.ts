/** The support inbox: what staff see (queries) and do (commands). */
export { InboxError } from "./errors";

// ---- queries (list, counts, detail, customer panel)
export {
  decodeInboxCursor,
  DEFAULT_INBOX_VIEW,
  INBOX_CHANNELS,
  INBOX_PRIORITIES,
  INBOX_SENTIMENTS,
  INBOX_VIEWS,
  type InboxChannel,
  type InboxFilters,
  type InboxPriority,
  type InboxSentiment,
  type InboxView,
  inboxFiltersToSearchParams,
  MAX_SEARCH_CHARS,
  parseInboxFilters,
  SENTIMENT_BAND,
  validateInboxFilters,
} from "./queries/filters";
export {
  countInboxViews,
  INBOX_PAGE_SIZE,
  type InboxPage,
  type InboxRow,
  type ListInboxInput,
  listInbox,
  MAX_BULK_SELECTION,
  selectConversationIds,
} from "./queries/list.server";
export type { InboxDb } from "./queries/sql.server";
export {
  type ActionLogEntry,
  type ConversationDetail,
  type ConversationHeader,
  getConversationDetail,
  type PresenceEntry,
  TRANSCRIPT_LIMIT,
  type TranscriptMessage,
  type TranscriptOrderCard,
} from "./queries/detail.server";
export { type CustomerPanel, getCustomerPanel, PANEL_ORDER_LIMIT, type PanelCustomer, type PanelOrder, type PreviousConversation } from "./queries/customer.server";

// ---- commands (reply, notes, assignment, merge, macros, drafts, presence, order actions)
export { type BulkUpdateInput, type BulkUpdateResult, bulkUpdate, MAX_BULK_IDS } from "./commands/bulk.server";
export {
  assignConversation,
  type ChangeResult,
  handBack,
  MAX_TAG_CHARS,
  MAX_TAGS,
  PRIORITY_VALUES,
  reopenConversation,
  resolveConversation,
  type SingleChangeResult,
  setPriority,
  snoozeConversation,
  takeOver,
  updateTags,
} from "./commands/changes.server";
export { draftReply } from "./commands/draft.server";
export { deleteMacro, listMacros, MACRO_VARIABLES, type MacroSummary, type MacroVariable, type RenderedMacro, renderMacro, saveMacro } from "./commands/macros.server";
export { type MergeConversationsInput, type MergeConversationsResult, mergeConversations } from "./commands/merge.server";
export { STAFF_ORDER_ACTION_KINDS, type StaffOrderActionInput, type StaffOrderActionResult, staffOrderAction } from "./commands/order-actions.server";
export { heartbeatPresence, leaveConversation, markRead, PRESENCE_TTL_MS, type PresenceResult } from "./commands/presence.server";
export { type AddInternalNoteResult, addInternalNote, type SendStaffReplyInput, type SendStaffReplyResult, type StaffMessage, sendStaffReply } from "./commands/reply.server";
export { MAX_STAFF_MESSAGE_CHARS } from "./commands/shared.server";
