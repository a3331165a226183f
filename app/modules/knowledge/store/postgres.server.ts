import type { PrismaClient } from "@prisma/client";
import { type KnowledgeSearchStore, type MatchParams, type MatchRow, matchArguments, toMatch } from "./types";

/** Hybrid search through Prisma: calls the SQL function match_knowledge directly. */
export function createPostgresStore(db: PrismaClient): KnowledgeSearchStore {
  return {
    name: "postgres",
    async match(params: MatchParams) {
      const args = matchArguments(params);
      const rows = await db.$queryRaw<MatchRow[]>`
        SELECT * FROM match_knowledge(${args.p_shop_id}, ${args.p_query_embedding}::vector, ${args.p_query_text},
                                      ${args.p_language}, ${args.p_match_count}::int, ${args.p_kinds}::text[])`;
      return rows.map(toMatch);
    },
  };
}
