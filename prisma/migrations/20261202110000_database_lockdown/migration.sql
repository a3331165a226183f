-- Lock the database down for Supabase, where PostgREST serves the public schema to the `anon` and
-- `authenticated` roles (the project's public anon key, and any signed-in Supabase user) and Supabase grants
-- them every table by default. Shopdesk never uses those roles: the app connects as the tables' owner through
-- Prisma (row-level security without FORCE does not apply to the owner), and knowledge search calls
-- match_knowledge over RPC with the service role only.
-- On plain PostgreSQL and PGlite the roles are created (NOLOGIN), so the same grants hold everywhere and the
-- tests can check them.

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
            BEGIN
                -- Supabase's service_role bypasses row-level security; so does ours.
                EXECUTE format('CREATE ROLE %I NOLOGIN%s', role_name, CASE WHEN role_name = 'service_role' THEN ' BYPASSRLS' ELSE '' END);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                -- Roles are per server: a migration of another database on it created the role meanwhile.
                NULL;
            END;
        END IF;
    END LOOP;
END
$$;

-- Row-level security on every table, with no policies: whoever is granted a table still sees no rows and
-- cannot write one, unless they own it or bypass RLS. A migration that adds a table enables it too
-- (tests/integration/database-lockdown.test.ts checks every table).
DO $$
DECLARE
    table_name text;
BEGIN
    FOR table_name IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', table_name);
    END LOOP;
END
$$;

-- No privileges at all for the API roles, on what exists now and on what later migrations create (Supabase's
-- default privileges for objects the postgres role creates grant them everything).
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM anon, authenticated;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM anon, authenticated;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM anon, authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM anon, authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM anon, authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON FUNCTIONS FROM anon, authenticated;

-- Knowledge search over RPC: the service role only. Functions are executable by PUBLIC unless revoked.
-- match_knowledge runs with its caller's rights, so the service role reads the two tables it searches.
REVOKE EXECUTE ON FUNCTION match_knowledge(text, vector, text, text, integer, text[]) FROM PUBLIC, anon, authenticated;
GRANT USAGE ON SCHEMA public TO service_role;
GRANT EXECUTE ON FUNCTION match_knowledge(text, vector, text, text, integer, text[]) TO service_role;
GRANT SELECT ON "KnowledgeChunk", "KnowledgeSource" TO service_role;
