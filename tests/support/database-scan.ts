import prisma from "~/db.server";

/**
 * Every text-like column of the database, read from information_schema at call time, so a column added later
 * is searched too: text, varchar, char, json, jsonb, tsvector and arrays of text.
 */
export async function textColumns(): Promise<{ table: string; column: string }[]> {
  return prisma.$queryRaw<{ table: string; column: string }[]>`
    SELECT table_name::text AS "table", column_name::text AS "column" FROM information_schema.columns
    WHERE table_schema = current_schema()
      AND (data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'tsvector')
        OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar', '_bpchar')))
    ORDER BY table_name, ordinal_position`;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Where in the whole database any of the patterns (PostgreSQL regular expressions, matched case-insensitively)
 * occurs: "Table.column: label" per hit.
 */
export async function findInDatabase(patterns: Record<string, string>): Promise<string[]> {
  const any = `(?:${Object.values(patterns).join("|")})`;
  const hits: string[] = [];
  for (const { table, column } of await textColumns()) {
    const from = `FROM ${quote(table)} WHERE ${quote(column)}::text ~* $1`;
    const [row] = await prisma.$queryRawUnsafe<{ found: boolean }[]>(`SELECT EXISTS (SELECT 1 ${from}) AS found`, any);
    if (!row?.found) continue;
    for (const [label, pattern] of Object.entries(patterns)) {
      const [match] = await prisma.$queryRawUnsafe<{ found: boolean }[]>(`SELECT EXISTS (SELECT 1 ${from}) AS found`, pattern);
      if (match?.found) hits.push(`${table}.${column}: ${label}`);
    }
  }
  return hits;
}

/** A regular expression for the literal text. */
export const literal = (text: string) => text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
/**
 * A US phone number however it is written ("+15035550142", "(503) 555-0142", "503.555.0142"): its ten digits
 * with any separators, behind an optional +1, not inside a longer number.
 */
export const anyUsPhoneWriting = (phone: string) =>
  `(?<![0-9])(?:\\+?1[-. ()/]*)?${phone.replace(/\D/g, "").slice(-10).split("").join("[-. ()/]*")}(?![0-9])`;
/** A name as a whole word. */
export const word = (text: string) => `\\m${literal(text)}\\M`;
