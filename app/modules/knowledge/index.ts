export {
  EDITOR_NOT_UNDERSTOOD,
  type EditorResponse,
  type ImportResponse,
  NOT_UNDERSTOOD,
  OPENING_NOTICES,
  type Reply,
  type SearchResponse,
} from "./admin-responses";
export { chunkMarkdown, estimateTokens, type Chunk } from "./chunking";
export { getEmbedder } from "./embeddings/index.server";
export { EMBEDDING_DIMENSIONS, type Embedder } from "./embeddings/types";
export { KnowledgeError } from "./errors";
export { importArticles, type ImportReport, parseImportFile } from "./import.server";
export { IMPORT_EXTENSIONS, IMPORT_TOO_LARGE, MAX_IMPORT_BYTES, unsupportedImportType } from "./import-limits";
export { ImportFormSchema, importFailure, importUpload } from "./import-upload.server";
export { indexPendingSources, reindexJob, reindexSource, type ReindexReport } from "./ingest.server";
export { REINDEX_JOB, SYNC_PRODUCTS_JOB } from "./jobs";
export {
  type AdminGraphql,
  policyHtmlToMarkdown,
  SYNC_POLICIES_JOB,
  syncPoliciesJob,
  syncShopPolicies,
} from "./policies.server";
export { queueProductKnowledgeSync, queueUnindexedSources, syncProductKnowledge, syncProductsJob } from "./products.server";
export { type ExpandedQuery, expandQuery, expansionLanguage, withoutFunctionWords } from "./query-expansion";
export { searchKnowledge, type SearchKnowledgeInput } from "./search.server";
export { articleFailure, EditorActionSchema, editSource, loadSourceEditor, type SourceEditorPage, SourceParamsSchema } from "./source-editor.server";
export { loadSourceList, SEARCH_NOT_UNDERSTOOD, SearchFormSchema, type SourceListPage, tryQuestion } from "./source-list.server";
export { contentTerms, termWeight } from "./term-weights";
export {
  createArticle,
  deleteSource,
  getSource,
  listSources,
  restoreVersion,
  setSourceStatus,
  type SourceFilters,
  updateSource,
} from "./sources.server";
export type { KnowledgeMatch } from "./store/types";
export { ArticleFormSchema, KNOWLEDGE_KINDS, MAX_BODY_LENGTH, MAX_TITLE_LENGTH } from "./validation";
