import { getEnv } from "~/env.server";
import { createPostgresStore } from "./postgres.server";
import { createSupabaseStore } from "./supabase.server";
import type { KnowledgeSearchStore } from "./types";

let cached: KnowledgeSearchStore | undefined;

/** Supabase RPC when SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are set, otherwise SQL on the app database. */
export function getSearchStore(): KnowledgeSearchStore {
  if (cached) return cached;
  const env = getEnv();
  cached =
    env.SUPABASE_URL && env.SUPABASE_SERVICE_ROLE_KEY
      ? createSupabaseStore({ url: env.SUPABASE_URL, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY })
      : createPostgresStore();
  return cached;
}
