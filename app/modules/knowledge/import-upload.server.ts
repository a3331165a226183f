import { z } from "zod";
import type { ImportResponse, Reply } from "./admin-responses";
import { KnowledgeError } from "./errors";
import { importArticles, parseImportFile } from "./import.server";

/** The import page's upload: one file, imported as published articles or as drafts. */

export const ImportFormSchema = z.object({
  file: z.custom<File>(
    (value) => typeof value === "object" && value !== null && "arrayBuffer" in value && "name" in value,
    "Choose a file to import",
  ),
  publish: z.enum(["true", "false"]).default("true"),
});

export function importFailure(status: number, message: string, fileName: string | null = null, field: string | null = null): Reply<ImportResponse> {
  return { status, body: { ok: false, fileName, published: false, report: null, error: { message, field } } };
}

export async function importUpload(shopId: string, form: z.output<typeof ImportFormSchema>, editor: string): Promise<Reply<ImportResponse>> {
  const { file, publish } = form;
  try {
    const rows = parseImportFile(file.name, Buffer.from(await file.arrayBuffer()));
    const status = publish === "true" ? "published" : "draft";
    const report = await importArticles(shopId, rows, { status, editor });
    return {
      status: 200,
      body: {
        ok: true,
        fileName: file.name,
        published: status === "published",
        report: {
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          errors: report.errors.map((error) => ({ row: error.row, message: error.message, field: error.field ?? null })),
        },
        error: null,
      },
    };
  } catch (error) {
    if (!(error instanceof KnowledgeError)) throw error;
    return importFailure(error.status, error.message, file.name, "file");
  }
}
