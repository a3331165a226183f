/** Background job names owned by the knowledge module. */
export const REINDEX_JOB = "knowledge.reindex";
