import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The text of a model file committed next to these modules: beside the module when run from source, or
 * from the source tree when the module was bundled elsewhere (the Remix server build).
 */
export function readCommittedModel(fileName: string): string {
  try {
    return readFileSync(new URL(`./${fileName}`, import.meta.url), "utf8");
  } catch {
    return readFileSync(path.resolve(process.cwd(), "app/modules/assistant/nlu", fileName), "utf8");
  }
}
