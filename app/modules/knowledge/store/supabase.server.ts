import { createClient } from "@supabase/supabase-js";
import { type KnowledgeSearchStore, type MatchParams, type MatchRow, matchArguments, toMatch } from "./types";

export interface SupabaseStoreOptions {
  /** The project URL, e.g. https://xyz.supabase.co (PostgREST is served under /rest/v1). */
  url: string;
  /** Server-only key; sent as `apikey` and `Authorization: Bearer`, never logged or put in errors. */
  serviceRoleKey: string;
  /** A custom fetch (tests, proxies); defaults to the global fetch. */
  fetch?: typeof fetch;
}

interface PostgrestErrorLike {
  code?: string | null;
  message?: string | null;
  details?: string | null;
  hint?: string | null;
}

/** Builds a readable Error from a PostgREST error, with any occurrence of the key scrubbed out. */
function rpcError(error: PostgrestErrorLike, status: number, key: string): Error {
  const parts = [`match_knowledge via Supabase failed (HTTP ${status}${error.code ? `, ${error.code}` : ""})`];
  if (error.message) parts.push(error.message);
  if (error.details) parts.push(`details: ${error.details}`);
  if (error.hint) parts.push(`hint: ${error.hint}`);
  let message = parts.join(": ");
  if (key) message = message.split(key).join("[redacted]");
  const wrapped = new Error(message) as Error & { code?: string; status?: number };
  if (error.code) wrapped.code = error.code;
  wrapped.status = status;
  return wrapped;
}

/** Hybrid search through Supabase: the same SQL function, called as a PostgREST RPC with the service-role key. */
export function createSupabaseStore(options: SupabaseStoreOptions): KnowledgeSearchStore {
  const { url, serviceRoleKey } = options;
  const client = createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    db: { schema: "public" },
    ...(options.fetch ? { global: { fetch: options.fetch } } : {}),
  });

  return {
    name: "supabase",
    async match(params: MatchParams) {
      const { data, error, status } = await client.rpc("match_knowledge", matchArguments(params));
      if (error) throw rpcError(error, status, serviceRoleKey);
      if (!Array.isArray(data)) {
        throw new Error(`match_knowledge via Supabase returned ${data === null ? "no rows" : typeof data}, expected an array`);
      }
      return (data as MatchRow[]).map(toMatch);
    },
  };
}
