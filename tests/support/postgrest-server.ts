import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";

/**
 * A stand-in for Supabase's PostgREST, just enough of its RPC contract for supabase-js v2:
 * `POST /rest/v1/rpc/<function>` with a JSON object of named arguments, authenticated by the
 * service-role key in `apikey` and `Authorization: Bearer`, answered with the function's rows as JSON.
 * The call runs against a real PostgreSQL database, the way PostgREST builds it:
 * `SELECT coalesce(json_agg(t), '[]') FROM (SELECT * FROM public.<fn>(name => $1::type, …)) t`, in a
 * transaction as the key's role (`SET LOCAL ROLE service_role`, or `anon` for the optional anon key), so the
 * database's grants decide as on Supabase; a refused privilege answers 401 for anon and 403 otherwise.
 * It logs nothing; `requests` records each authorized RPC call (path and parsed arguments) for tests.
 */

export interface PostgrestRequestLog {
  path: string;
  args: Record<string, unknown>;
  status: number;
}

export interface PostgrestServer {
  url: string;
  close(): Promise<void>;
  requests: PostgrestRequestLog[];
}

interface PostgrestErrorBody {
  code: string | null;
  message: string;
  details: string | null;
  hint: string | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: PostgrestErrorBody,
  ) {
    super(body.message);
  }
}

interface FunctionInfo {
  inputs: { name: string; type: string }[];
  required: number;
  returnsRows: boolean;
  returnsSet: boolean;
  returnsVoid: boolean;
}

const SCHEMA = "public";
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const VECTOR_TYPES = new Set(["vector", "halfvec", "sparsevec"]);

function quoteIdent(name: string) {
  return `"${name.replaceAll('"', '""')}"`;
}

function sameSecret(given: string | undefined, expected: string) {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type ApiRole = "service_role" | "anon";

function authorize(request: IncomingMessage, keys: { serviceRoleKey: string; anonKey?: string }): ApiRole {
  const apikey = header(request, "apikey");
  const authorization = header(request, "authorization");
  if (!apikey && !authorization) {
    throw new HttpError(401, {
      code: "PGRST301",
      message: "No API key found in request",
      details: null,
      hint: "No `apikey` request header or url param was found.",
    });
  }
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (sameSecret(apikey, keys.serviceRoleKey) && sameSecret(bearer, keys.serviceRoleKey)) return "service_role";
  if (keys.anonKey && sameSecret(apikey, keys.anonKey) && sameSecret(bearer, keys.anonKey)) return "anon";
  throw new HttpError(401, {
    code: "PGRST301",
    message: "Invalid API key",
    details: null,
    hint: "Double check your Supabase `anon` or `service_role` API key.",
  });
}

function checkProfile(request: IncomingMessage) {
  for (const name of ["content-profile", "accept-profile"]) {
    const profile = header(request, name);
    if (profile !== undefined && profile !== SCHEMA) {
      throw new HttpError(406, {
        code: "PGRST106",
        message: `The schema must be one of the following: ${SCHEMA}`,
        details: null,
        hint: null,
      });
    }
  }
}

async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, { code: "PGRST102", message: "Request body too large", details: null, hint: null });
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, { code: "PGRST102", message: "Empty or invalid json", details: null, hint: null });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HttpError(400, {
      code: "PGRST102",
      message: "Expected a JSON object of named function arguments",
      details: null,
      hint: null,
    });
  }
  return parsed as Record<string, unknown>;
}

async function loadOverloads(pool: pg.Pool, fn: string): Promise<FunctionInfo[]> {
  const { rows } = await pool.query<{
    arg_names: string[];
    arg_modes: string[];
    arg_types: string[];
    n_defaults: number;
    returns_set: boolean;
    returns_rows: boolean;
    returns_void: boolean;
  }>(
    `SELECT coalesce(p.proargnames, '{}'::text[]) AS arg_names,
            coalesce(p.proargmodes::text[], '{}'::text[]) AS arg_modes,
            array(SELECT format_type(a.type, NULL)
                  FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(type, ord) ORDER BY a.ord) AS arg_types,
            p.pronargdefaults::int AS n_defaults,
            p.proretset AS returns_set,
            (rt.typtype = 'c' OR p.prorettype = 'record'::regtype) AS returns_rows,
            p.prorettype = 'void'::regtype AS returns_void
     FROM pg_proc p
     JOIN pg_namespace n ON n.oid = p.pronamespace
     JOIN pg_type rt ON rt.oid = p.prorettype
     WHERE n.nspname = $1 AND p.proname = $2 AND p.prokind = 'f'`,
    [SCHEMA, fn],
  );
  return rows.map((row) => {
    // proargnames/proargmodes cover all arguments (TABLE columns too); proargtypes only the inputs.
    const inputNames =
      row.arg_modes.length === 0
        ? row.arg_types.map((_, index) => row.arg_names[index] ?? "")
        : row.arg_names.filter((_, index) => ["i", "b", "v"].includes(row.arg_modes[index] ?? "i"));
    const inputs = row.arg_types.map((type, index) => ({ name: inputNames[index] ?? "", type }));
    return {
      inputs,
      required: inputs.length - row.n_defaults,
      returnsRows: row.returns_rows,
      returnsSet: row.returns_set,
      returnsVoid: row.returns_void,
    };
  });
}

function resolveFunction(fn: string, overloads: FunctionInfo[], argNames: string[]): FunctionInfo {
  const signature = (names: string[]) => `${SCHEMA}.${fn}(${names.join(", ")})`;
  if (overloads.length === 0) {
    throw new HttpError(404, {
      code: "PGRST202",
      message: `Could not find the function ${signature([...argNames].sort())} in the schema cache`,
      details: `Searched for the function ${SCHEMA}.${fn}, but no function of that name exists in the schema cache.`,
      hint: null,
    });
  }
  const matches = overloads.filter((candidate) => {
    const names = candidate.inputs.map((input) => input.name);
    const requiredNames = names.slice(0, candidate.required);
    return argNames.every((name) => names.includes(name)) && requiredNames.every((name) => argNames.includes(name));
  });
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new HttpError(300, {
      code: "PGRST203",
      message: `Could not choose the best candidate function between several overloads of ${SCHEMA}.${fn}`,
      details: null,
      hint: "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    });
  }
  const known = new Set(overloads.flatMap((candidate) => candidate.inputs.map((input) => input.name)));
  const unknown = argNames.filter((name) => !known.has(name));
  const closest = overloads[0]!;
  throw new HttpError(400, {
    code: "PGRST202",
    message: `Could not find the function ${signature([...argNames].sort())} in the schema cache`,
    details:
      unknown.length > 0
        ? `Unknown argument(s): ${unknown.join(", ")}`
        : `Missing required argument(s): ${closest.inputs
            .slice(0, closest.required)
            .map((input) => input.name)
            .filter((name) => !argNames.includes(name))
            .join(", ")}`,
    hint: `Perhaps you meant to call the function ${signature(closest.inputs.map((input) => input.name))}`,
  });
}

/** How a JSON value is handed to pg for a parameter cast to `type`. */
function toParameter(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (VECTOR_TYPES.has(type) && Array.isArray(value)) return `[${value.map(Number).join(",")}]`;
  if (type === "json" || type === "jsonb") return JSON.stringify(value);
  if (type.endsWith("[]") && Array.isArray(value)) return value;
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

function buildCall(fn: string, info: FunctionInfo, args: Record<string, unknown>) {
  const values: unknown[] = [];
  const named = info.inputs
    .filter((input) => Object.hasOwn(args, input.name))
    .map((input) => {
      values.push(toParameter(args[input.name], input.type));
      return `${quoteIdent(input.name)} => $${values.length}::${input.type}`;
    });
  const call = `${quoteIdent(SCHEMA)}.${quoteIdent(fn)}(${named.join(", ")})`;
  let sql: string;
  if (info.returnsRows) {
    sql = `SELECT coalesce(json_agg(pgrst_t), '[]'::json)::text AS body FROM (SELECT * FROM ${call}) pgrst_t`;
  } else if (info.returnsSet) {
    sql = `SELECT coalesce(json_agg(pgrst_t.pgrst_scalar), '[]'::json)::text AS body FROM (SELECT ${call} AS pgrst_scalar) pgrst_t`;
  } else {
    sql = `SELECT to_json(${call})::text AS body`;
  }
  return { sql, values };
}

function databaseError(error: unknown, role: ApiRole = "service_role"): HttpError {
  const pgError = error as Partial<pg.DatabaseError> & { code?: string };
  if (pgError && typeof pgError.code === "string" && /^[0-9A-Z]{5}$/.test(pgError.code)) {
    // PostgREST: insufficient_privilege is 401 for the anonymous role, 403 for any other.
    const status = pgError.code === "42501" ? (role === "anon" ? 401 : 403) : 400;
    return new HttpError(status, {
      code: pgError.code,
      message: pgError.message ?? "Database error",
      details: pgError.detail ?? null,
      hint: pgError.hint ?? null,
    });
  }
  // Connection-level failures: say what kind, not where (the URL may hold a password).
  return new HttpError(503, {
    code: "PGRST000",
    message: "Could not connect with the database",
    details: typeof pgError?.code === "string" ? pgError.code : null,
    hint: null,
  });
}

function send(response: ServerResponse, status: number, body: string | undefined) {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  response.end(body);
}

export async function startPostgrestServer(options: { databaseUrl: string; serviceRoleKey: string; anonKey?: string }): Promise<PostgrestServer> {
  if (!options.serviceRoleKey) throw new Error("startPostgrestServer: serviceRoleKey is required");
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  // An idle client losing its connection must not crash the test process.
  pool.on("error", () => {});
  const requests: PostgrestRequestLog[] = [];

  async function handle(request: IncomingMessage): Promise<{ status: number; body: string | undefined }> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const match = url.pathname.match(/^\/rest\/v1\/rpc\/([^/]+)$/);
    if (!match) {
      throw new HttpError(404, { code: "PGRST125", message: `Invalid path specified in request URL`, details: null, hint: null });
    }
    if (request.method !== "POST") {
      throw new HttpError(405, {
        code: "PGRST117",
        message: `Unsupported HTTP method: ${request.method ?? "unknown"}`,
        details: "This stand-in only serves POST /rest/v1/rpc/<function>",
        hint: null,
      });
    }
    const role = authorize(request, options);
    checkProfile(request);
    const fn = decodeURIComponent(match[1]!);
    const args = await readJsonObject(request);
    const entry: PostgrestRequestLog = { path: url.pathname, args, status: 0 };
    requests.push(entry);

    try {
      let overloads: FunctionInfo[];
      try {
        overloads = await loadOverloads(pool, fn);
      } catch (error) {
        throw databaseError(error);
      }
      const info = resolveFunction(fn, overloads, Object.keys(args));
      const { sql, values } = buildCall(fn, info, args);
      let body: string;
      const connection = await pool.connect();
      try {
        await connection.query(`BEGIN; SET LOCAL ROLE ${role}`);
        const { rows } = await connection.query<{ body: string | null }>(sql, values);
        await connection.query("COMMIT");
        body = rows[0]?.body ?? "null";
      } catch (error) {
        await connection.query("ROLLBACK").catch(() => {});
        throw databaseError(error, role);
      } finally {
        connection.release();
      }
      if (info.returnsVoid) {
        entry.status = 204;
        return { status: 204, body: undefined };
      }
      if ((header(request, "accept") ?? "").includes("application/vnd.pgrst.object+json") && (info.returnsRows || info.returnsSet)) {
        const rows = JSON.parse(body) as unknown[];
        if (rows.length !== 1) {
          throw new HttpError(406, {
            code: "PGRST116",
            message: "JSON object requested, multiple (or no) rows returned",
            details: `The result contains ${rows.length} rows`,
            hint: null,
          });
        }
        body = JSON.stringify(rows[0]);
      }
      entry.status = 200;
      return { status: 200, body };
    } catch (error) {
      if (error instanceof HttpError) entry.status = error.status;
      throw error;
    }
  }

  const server = createServer((request, response) => {
    handle(request).then(
      ({ status, body }) => send(response, status, body),
      (error: unknown) => {
        const httpError =
          error instanceof HttpError
            ? error
            : new HttpError(500, { code: "PGRST000", message: "Internal server error", details: null, hint: null });
        send(response, httpError.status, JSON.stringify(httpError.body));
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await pool.end();
    },
  };
}
