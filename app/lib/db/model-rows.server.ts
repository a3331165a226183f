import { Prisma } from "@prisma/client";

/**
 * Rows read with plain SQL on the pg pool, given the types Prisma's client gives them, so code written
 * against Prisma's models takes them unchanged: DateTime as Date, Decimal as Prisma.Decimal, BigInt as bigint.
 * For the few reads on a hot path where Prisma's query compiler costs more CPU than the query (an order with
 * its relations: about 5 ms against 0.4). Works on pg's own column values and on rows built in SQL as JSON
 * (to_jsonb / json_agg), where timestamps arrive as strings and numerics as numbers.
 */

type Reviver = (value: unknown) => unknown;

const revivers: Record<string, Reviver> = {
  DateTime: (value) => (value instanceof Date ? value : new Date(value as string)),
  Decimal: (value) => (value instanceof Prisma.Decimal ? value : new Prisma.Decimal(value as string | number)),
  BigInt: (value) => (typeof value === "bigint" ? value : BigInt(value as string | number)),
};

const modelFields = new Map<string, [string, Reviver][]>();

/** The model's scalar fields that need converting, from Prisma's own description of the schema. */
function fieldsToRevive(model: string): [string, Reviver][] {
  let fields = modelFields.get(model);
  if (!fields) {
    const description = Prisma.dmmf.datamodel.models.find((candidate) => candidate.name === model);
    if (!description) throw new Error(`no Prisma model named ${model}`);
    fields = description.fields.flatMap((field): [string, Reviver][] => {
      const revive = field.kind === "scalar" ? revivers[field.type] : undefined;
      if (!revive) return [];
      return [[field.name, field.isList ? (value) => (value as unknown[]).map(revive) : revive]];
    });
    modelFields.set(model, fields);
  }
  return fields;
}

/** The row with its fields typed as Prisma's client types `model`'s (in place; null stays null). */
export function reviveRow<T>(model: Prisma.ModelName, row: Record<string, unknown>): T {
  for (const [name, revive] of fieldsToRevive(model)) {
    const value = row[name];
    if (value !== null && value !== undefined) row[name] = revive(value);
  }
  return row as T;
}

export function reviveRows<T>(model: Prisma.ModelName, rows: Record<string, unknown>[]): T[] {
  return rows.map((row) => reviveRow<T>(model, row));
}
