/** What an import file may be: the server's parser enforces it, the import page's file picker checks it first. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const IMPORT_EXTENSIONS = [".csv", ".json", ".jsonl", ".ndjson", ".md", ".markdown"] as const;
export const IMPORT_TOO_LARGE = "The file is larger than 5 MB; split it into smaller files";

export function unsupportedImportType(extension: string) {
  return `Unsupported file type "${extension}": use CSV, JSON, JSONL or Markdown`;
}
