import path from "node:path";
import { CsvError, parse as parseCsv } from "csv-parse/sync";
import type { PrismaClient } from "@prisma/client";
import prisma from "~/db.server";
import { KnowledgeError } from "./errors";
import { IMPORT_EXTENSIONS, IMPORT_TOO_LARGE, MAX_IMPORT_BYTES, unsupportedImportType } from "./import-limits";
import { createArticle, updateSource } from "./sources.server";

/**
 * Bulk import of articles from CSV, JSON, JSONL or Markdown. A file that cannot be read at all is refused whole;
 * otherwise every row stands alone: good rows are written (each in its own transaction), bad rows are reported
 * with their row number and write nothing.
 */

export interface ImportRow {
  /** 1-based, as the merchant sees it in the file (data rows for CSV, lines for JSONL, items for JSON). */
  row: number;
  data?: Record<string, unknown>;
  error?: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; message: string; field?: string }[];
  sourceIds: string[];
}

function parseMarkdownFile(fileName: string, text: string): ImportRow[] {
  const heading = /^#\s+(.+)$/m.exec(text);
  const title = heading?.[1]?.trim() ?? path.basename(fileName).replace(/\.(md|markdown)$/i, "").replace(/[-_]+/g, " ");
  const body = heading ? text.replace(heading[0], "").trim() : text.trim();
  return [{ row: 1, data: { id: path.basename(fileName), title, body } }];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads the file into rows; throws KnowledgeError when the file as a whole is unusable. */
export function parseImportFile(fileName: string, content: string | Buffer): ImportRow[] {
  const size = typeof content === "string" ? Buffer.byteLength(content) : content.length;
  if (size > MAX_IMPORT_BYTES) throw new KnowledgeError(IMPORT_TOO_LARGE, 413);
  const extension = path.extname(fileName).toLowerCase();
  if (!(IMPORT_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new KnowledgeError(unsupportedImportType(extension || fileName), 415);
  }
  const text = (typeof content === "string" ? content : content.toString("utf8")).replace(/^\uFEFF/, "");
  if (!text.trim()) throw new KnowledgeError("The file is empty");

  switch (extension) {
    case ".csv": {
      let records: Record<string, string>[];
      try {
        records = parseCsv(text, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, relax_column_count: true, trim: false });
      } catch (error) {
        if (error instanceof CsvError) throw new KnowledgeError(`Malformed CSV: ${error.message}`);
        throw error;
      }
      if (records.length === 0) throw new KnowledgeError("The CSV has a header but no rows");
      const columns = Object.keys(records[0]!);
      for (const required of ["title", "body"]) {
        if (!columns.includes(required)) throw new KnowledgeError(`The CSV needs a "${required}" column (found: ${columns.join(", ")})`);
      }
      return records.map((record, index) => ({ row: index + 1, data: record }));
    }
    case ".json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new KnowledgeError(`Malformed JSON: ${(error as Error).message}`);
      }
      const list = Array.isArray(parsed) ? parsed : asObject(parsed)?.articles;
      if (!Array.isArray(list)) throw new KnowledgeError('The JSON must be an array of articles or { "articles": [...] }');
      return list.map((item, index) => {
        const data = asObject(item);
        return data ? { row: index + 1, data } : { row: index + 1, error: "Each article must be an object" };
      });
    }
    case ".jsonl":
    case ".ndjson":
      return text
        .split(/\r?\n/)
        .map((line, index) => ({ line, row: index + 1 }))
        .filter(({ line }) => line.trim())
        .map(({ line, row }) => {
          try {
            const data = asObject(JSON.parse(line));
            return data ? { row, data } : { row, error: "Each line must be a JSON object" };
          } catch {
            return { row, error: "This line is not valid JSON" };
          }
        });
    default:
      return parseMarkdownFile(fileName, text);
  }
}

function externalIdOf(data: Record<string, unknown>) {
  const id = data.id ?? data.external_id ?? data.externalId;
  if (id === undefined || id === null || id === "") return null;
  if (typeof id !== "string" && typeof id !== "number") throw new KnowledgeError("id must be a string or a number", 400, "id");
  const value = String(id).trim();
  if (value.length > 200) throw new KnowledgeError("id is longer than 200 characters", 400, "id");
  return value;
}

export async function importArticles(
  shopId: string,
  rows: ImportRow[],
  options: { status?: "draft" | "published"; editor?: string; db?: PrismaClient } = {},
): Promise<ImportReport> {
  const db = options.db ?? prisma;
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [], sourceIds: [] };
  const seenTitles = new Map<string, number>();
  const seenIds = new Map<string, number>();

  for (const { row, data, error } of rows) {
    try {
      if (error || !data) throw new KnowledgeError(error ?? "Empty row");
      const externalId = externalIdOf(data);
      const title = typeof data.title === "string" ? data.title.trim().toLowerCase() : "";
      if (externalId && seenIds.has(externalId)) {
        throw new KnowledgeError(`Duplicate id "${externalId}" (also on row ${seenIds.get(externalId)})`, 409, "id");
      }
      if (title && seenTitles.has(title)) {
        throw new KnowledgeError(`Duplicate title (also on row ${seenTitles.get(title)})`, 409, "title");
      }
      const input = {
        title: data.title as string,
        body: data.body as string,
        tags: data.tags as string[] | string | undefined,
        language: (data.language as string | undefined) || undefined,
        status: options.status ?? "published",
      };
      const existing = externalId
        ? await db.knowledgeSource.findFirst({ where: { shopId, kind: "article", externalId }, select: { id: true } })
        : null;
      if (existing) {
        const { changed } = await updateSource(shopId, existing.id, input, { editor: options.editor, db });
        if (changed) report.updated++;
        else report.unchanged++;
        report.sourceIds.push(existing.id);
      } else {
        const source = await createArticle(shopId, { ...input, externalId }, { editor: options.editor, db });
        report.created++;
        report.sourceIds.push(source.id);
      }
      if (externalId) seenIds.set(externalId, row);
      if (title) seenTitles.set(title, row);
    } catch (failure) {
      if (!(failure instanceof KnowledgeError)) throw failure;
      report.errors.push({ row, message: failure.message, ...(failure.field ? { field: failure.field } : {}) });
    }
  }
  return report;
}
