/** Background job names owned by the knowledge module. */
export const REINDEX_JOB = "knowledge.reindex";
/** Mirrors the shop's synced products into product knowledge (queued once per shop by the commerce sync). */
export const SYNC_PRODUCTS_JOB = "knowledge.sync-products";
