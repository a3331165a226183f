import type { z } from "zod";
import { StaffError } from "./errors";

/** Parses with the schema or throws a 400 StaffError naming the first field at fault. */
export function parseStaffInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || undefined;
  throw new StaffError(issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid staff request", 400, field);
}
