import { get_dmmf } from "@prisma/prisma-schema-wasm";
import type pg from "pg";

/**
 * Compares schema.prisma (parsed by Prisma's own schema engine, compiled to WASM) with a migrated database:
 * tables, every column's type and nullability, enum values, and the indexes the schema declares.
 * Returns human-readable differences; empty means they agree.
 */

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum";
  type: string;
  nativeType?: [string, string[]] | null;
  isRequired: boolean;
  isList: boolean;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; values: { name: string }[] }[];
    indexes: DmmfIndex[];
  };
}

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Float: "float8",
  Decimal: "numeric",
  Boolean: "bool",
  DateTime: "timestamp",
  Json: "jsonb",
  Bytes: "bytea",
};
const NATIVE_TYPES: Record<string, string> = {
  Timestamptz: "timestamptz",
  Timestamp: "timestamp",
  VarChar: "varchar",
  Char: "bpchar",
  Uuid: "uuid",
  Text: "text",
  Decimal: "numeric",
  Integer: "int4",
  SmallInt: "int2",
  DoublePrecision: "float8",
  Real: "float4",
  JsonB: "jsonb",
  Json: "json",
  Date: "date",
};

/** Indexes that schema.prisma cannot express (vector, full-text, partial); kept in SQL on purpose. */
export const SQL_ONLY_INDEXES = new Set([
  "KnowledgeChunk_embedding_hnsw_idx",
  "KnowledgeChunk_searchText_gin_idx",
  "Message_searchText_gin_idx",
  "Job_dedupeKey_active_key",
  "Conversation_inbox_active_idx",
  "Conversation_inbox_resolved_idx",
  "Conversation_inbox_snoozed_idx",
  "Conversation_shopperEmail_idx",
  "Customer_search_gin_idx",
  "ConversationSearch_lexemes_gin_idx",
  "Conversation_inbox_resolved_count_idx",
  "WebhookEvent_payload_retention_idx",
  "DataRequestExport_expiry_idx",
  "Conversation_inbox_all_idx",
]);

interface ExpectedColumn {
  udt: string;
  nullable: boolean | "any";
}

export function expectedTables(schema: string) {
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] }))) as Dmmf;
  const tables = new Map<string, Map<string, ExpectedColumn>>();
  const tableOfModel = new Map<string, string>();
  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    tableOfModel.set(model.name, table);
    const columns = new Map<string, ExpectedColumn>();
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      const base =
        field.kind === "enum"
          ? field.type
          : field.nativeType
            ? (NATIVE_TYPES[field.nativeType[0]] ?? field.nativeType[0].toLowerCase())
            : SCALAR_TYPES[field.type];
      if (!base) throw new Error(`No column type known for ${model.name}.${field.name} (${field.type})`);
      // Prisma creates list columns without NOT NULL.
      columns.set(field.dbName ?? field.name, {
        udt: field.isList ? `_${base}` : base,
        nullable: field.isList ? "any" : !field.isRequired,
      });
    }
    tables.set(table, columns);
  }
  // The DMMF leaves out Unsupported(...) fields; read them from the schema text.
  for (const block of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const table = tableOfModel.get(block[1]!)!;
    for (const line of block[2]!.matchAll(/^\s*(\w+)\s+Unsupported\("([a-z_]+)[^"]*"\)(\?)?/gm)) {
      tables.get(table)!.set(line[1]!, { udt: line[2]!, nullable: line[3] === "?" });
    }
  }
  const enums = new Map(dmmf.datamodel.enums.map((item) => [item.name, item.values.map((value) => value.name)]));
  const indexes = dmmf.datamodel.indexes
    .filter((index) => index.type === "unique" || index.type === "normal")
    .map((index) => ({
      table: tableOfModel.get(index.model)!,
      unique: index.type === "unique",
      columns: index.fields.map((field) => field.name),
    }));
  return { tables, enums, indexes };
}

export async function diffSchema(schema: string, client: pg.Client | pg.Pool): Promise<string[]> {
  const expected = expectedTables(schema);
  const differences: string[] = [];

  const { rows: columnRows } = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`,
  );
  const actual = new Map<string, Map<string, { udt: string; nullable: boolean }>>();
  for (const row of columnRows) {
    if (!actual.has(row.table_name)) actual.set(row.table_name, new Map());
    actual.get(row.table_name)!.set(row.column_name, { udt: row.udt_name, nullable: row.is_nullable === "YES" });
  }

  for (const [table, columns] of expected.tables) {
    const dbColumns = actual.get(table);
    if (!dbColumns) {
      differences.push(`table "${table}" is in schema.prisma but not in the database`);
      continue;
    }
    for (const [column, want] of columns) {
      const have = dbColumns.get(column);
      if (!have) differences.push(`column "${table}"."${column}" is in schema.prisma but not in the database`);
      else {
        if (have.udt !== want.udt) differences.push(`column "${table}"."${column}": schema says ${want.udt}, database has ${have.udt}`);
        if (want.nullable !== "any" && have.nullable !== want.nullable) {
          differences.push(`column "${table}"."${column}": schema says ${want.nullable ? "nullable" : "NOT NULL"}, database disagrees`);
        }
      }
    }
    for (const column of dbColumns.keys()) {
      if (!columns.has(column)) differences.push(`column "${table}"."${column}" is in the database but not in schema.prisma`);
    }
  }
  for (const table of actual.keys()) {
    if (!expected.tables.has(table)) differences.push(`table "${table}" is in the database but not in schema.prisma`);
  }

  const { rows: enumRows } = await client.query<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
     JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`,
  );
  const dbEnums = new Map<string, string[]>();
  for (const row of enumRows) dbEnums.set(row.name, [...(dbEnums.get(row.name) ?? []), row.value]);
  for (const [name, values] of expected.enums) {
    const have = dbEnums.get(name);
    if (!have) differences.push(`enum "${name}" is in schema.prisma but not in the database`);
    else if (have.join(",") !== values.join(",")) differences.push(`enum "${name}": schema says [${values}], database has [${have}]`);
  }
  for (const name of dbEnums.keys()) {
    if (!expected.enums.has(name)) differences.push(`enum "${name}" is in the database but not in schema.prisma`);
  }

  const { rows: indexRows } = await client.query<{ table: string; name: string; unique: boolean; primary: boolean; columns: string[] }>(
    `SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
            array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
     FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`,
  );
  const key = (table: string, unique: boolean, columns: string[]) => `${table}(${columns.join(",")})${unique ? " unique" : ""}`;
  const dbIndexes = new Set(indexRows.filter((row) => !row.primary && !SQL_ONLY_INDEXES.has(row.name)).map((row) => key(row.table, row.unique, row.columns)));
  const schemaIndexes = new Set(expected.indexes.map((index) => key(index.table, index.unique, index.columns)));
  for (const index of schemaIndexes) if (!dbIndexes.has(index)) differences.push(`index ${index} is in schema.prisma but not in the database`);
  for (const index of dbIndexes) if (!schemaIndexes.has(index)) differences.push(`index ${index} is in the database but not in schema.prisma`);
  for (const name of SQL_ONLY_INDEXES) {
    if (!indexRows.some((row) => row.name === name)) differences.push(`SQL-only index ${name} is missing from the database`);
  }
  return differences;
}
