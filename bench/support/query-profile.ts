import pg from "pg";

/**
 * Counts and times every query a process sends, by kind of statement ("select Order", "upsert OrderLineItem",
 * "advisory lock", "BEGIN"…), at the pg driver: Prisma's adapter and its transactions go through
 * pg.Client#query, and so does a bare pg.Pool.
 */
export interface StatementFigures {
  count: number;
  ms: number;
}

const kinds = new Map<string, string>();

/** Prisma sends the same few SQL texts over and over: each is classified once. */
export function statementKind(sql: string) {
  let kind = kinds.get(sql);
  if (kind === undefined) {
    kind = classify(sql);
    kinds.set(sql, kind);
  }
  return kind;
}

function classify(sql: string) {
  const text = sql.replace(/\s+/g, " ").trim();
  const verb = text.split(" ", 1)[0]!.toUpperCase();
  if (text.includes("pg_advisory_xact_lock")) return "advisory lock";
  if (["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"].includes(verb)) return verb;
  const table = (pattern: RegExp) => text.match(pattern)?.[1] ?? "?";
  if (verb === "INSERT") {
    const into = table(/INTO (?:"public"\.)?"?(\w+)"?/i);
    return / ON CONFLICT .* DO UPDATE /i.test(text) ? `upsert ${into}` : `insert ${into}`;
  }
  if (verb === "UPDATE") return `update ${table(/UPDATE (?:"public"\.)?"?(\w+)"?/i)}`;
  if (verb === "DELETE") return `delete ${table(/FROM (?:"public"\.)?"?(\w+)"?/i)}`;
  // A data-modifying CTE (webhook intake: event and job in one statement) is named by its first insert.
  if (verb === "WITH" && / INSERT INTO /i.test(text)) return `insert ${table(/INSERT INTO (?:"public"\.)?"?(\w+)"?/i)} (CTE)`;
  if (verb === "SELECT" || verb === "WITH") return `select ${table(/FROM (?:"public"\.)?"?(\w+)"?/i)}`;
  return verb.toLowerCase();
}

type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

export class QueryProfile {
  readonly byKind = new Map<string, StatementFigures>();

  record(sql: string, ms: number) {
    const kind = statementKind(sql);
    const figures = this.byKind.get(kind) ?? { count: 0, ms: 0 };
    figures.count++;
    figures.ms += ms;
    this.byKind.set(kind, figures);
  }

  get total(): StatementFigures {
    let count = 0;
    let ms = 0;
    for (const figures of this.byKind.values()) {
      count += figures.count;
      ms += figures.ms;
    }
    return { count, ms };
  }

  toJSON() {
    return Object.fromEntries([...this.byKind].sort((a, b) => b[1].count - a[1].count || b[1].ms - a[1].ms));
  }

  /** Wraps pg.Client#query for the whole process; returns the function that puts it back. */
  attach() {
    return instrumentPg((sql, ms) => this.record(sql, ms));
  }
}

/** Per-event figures: how many of each statement one event costs, and their mean time. */
export function perEvent(byKind: Record<string, StatementFigures>, events: number) {
  const round = (value: number) => Math.round(value * 100) / 100;
  return Object.fromEntries(
    Object.entries(byKind).map(([kind, figures]) => [kind, { perEvent: round(figures.count / events), meanMs: round(figures.ms / Math.max(1, figures.count)) }]),
  );
}

/** Times every query at the pg driver (Prisma's adapter and its transactions go through pg.Client#query). */
export function instrumentPg(onQuery: (sql: string, ms: number) => void) {
  const prototype = pg.Client.prototype as unknown as { query: QueryFn };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const config = args[0];
    const sql = typeof config === "string" ? config : ((config as { text?: string } | null)?.text ?? "");
    const done = () => onQuery(sql, performance.now() - started);
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as (...result: unknown[]) => unknown;
      args[last] = (...result: unknown[]) => {
        done();
        return callback(...result);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
  return () => {
    prototype.query = original;
  };
}
