/** The support inbox: what staff see (queries) and do (commands). */
export { InboxError } from "./errors";

// ---- queries (list, counts, detail, customer panel)

// ---- commands (reply, notes, assignment, merge, macros, drafts, presence, order actions)
