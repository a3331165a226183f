-- Inbox search and filters (issue 10), from measuring `npm run bench -- inbox`.
--
-- 1. The list's filters (assignee, priority, intent, sentiment, language, channel, tag, dates) are answered
--    from the views' indexes alone: they now carry those columns, so a filtered page walks index entries
--    instead of fetching every skipped conversation (a resolved-view filter read 30,000 rows for one page).
DROP INDEX "Conversation_inbox_active_idx";
CREATE INDEX "Conversation_inbox_active_idx" ON "Conversation" ("shopId", "slaDueAt" ASC NULLS LAST, "priority" DESC, "lastMessageAt" DESC, "id")
  INCLUDE ("status", "assigneeId", "handledByHuman", "snoozedUntil", "lastIntent", "language", "channel", "sentiment", "tags", "createdAt")
  WHERE "status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper');
DROP INDEX "Conversation_inbox_resolved_idx";
CREATE INDEX "Conversation_inbox_resolved_idx" ON "Conversation" ("shopId", "lastMessageAt" DESC, "id" DESC)
  INCLUDE ("assigneeId", "priority", "lastIntent", "language", "channel", "sentiment", "tags", "createdAt")
  WHERE "status" IN ('resolved', 'closed') AND "mergedIntoId" IS NULL;

-- 2. The words of each conversation, so a search finds its conversations without reading every message that
--    holds a common word (the inbox searches conversations for all the words of a search). "lexemes" is the
--    sorted set of lexemes (to_tsvector 'simple', as Message."searchText") of all the conversation's messages,
--    kept by triggers on "Message": new messages add theirs; an edit, a move (merge) or a deletion rebuilds the
--    conversations concerned from their messages, so erased words (customers/redact) leave too.

CREATE TABLE "ConversationSearch" (
    "conversationId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "lexemes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "ConversationSearch_pkey" PRIMARY KEY ("conversationId")
);
CREATE INDEX "ConversationSearch_lexemes_gin_idx" ON "ConversationSearch" USING gin ("lexemes");
ALTER TABLE "ConversationSearch" ADD CONSTRAINT "ConversationSearch_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The conversations' lexemes from their messages as they are now (none left: no row).
CREATE FUNCTION "inbox_search_rebuild"(ids TEXT[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "ConversationSearch" WHERE "conversationId" = ANY(ids);
  INSERT INTO "ConversationSearch" ("conversationId", "shopId", "lexemes")
  SELECT m."conversationId", min(m."shopId"), tsvector_to_array(strip(to_tsvector('simple'::regconfig, string_agg(m."body", ' '))))
  FROM "Message" m WHERE m."conversationId" = ANY(ids)
  GROUP BY m."conversationId";
$$;

CREATE FUNCTION "inbox_search_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ConversationSearch" AS s ("conversationId", "shopId", "lexemes")
  SELECT n."conversationId", min(n."shopId"), tsvector_to_array(strip(to_tsvector('simple'::regconfig, string_agg(n."body", ' '))))
  FROM new_messages n
  GROUP BY n."conversationId"
  ON CONFLICT ("conversationId") DO UPDATE
    SET "lexemes" = tsvector_to_array(array_to_tsvector(s."lexemes") || array_to_tsvector(EXCLUDED."lexemes"));
  RETURN NULL;
END $$;

CREATE FUNCTION "inbox_search_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only a changed text or a move matters (turns update a message's intent, for instance).
  PERFORM "inbox_search_rebuild"(ARRAY(
    SELECT DISTINCT v."id" FROM old_messages o JOIN new_messages n ON n."id" = o."id",
      LATERAL (VALUES (o."conversationId"), (n."conversationId")) AS v("id")
    WHERE o."body" IS DISTINCT FROM n."body" OR o."conversationId" IS DISTINCT FROM n."conversationId"));
  RETURN NULL;
END $$;

CREATE FUNCTION "inbox_search_on_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "inbox_search_rebuild"(ARRAY(SELECT DISTINCT o."conversationId" FROM old_messages o));
  RETURN NULL;
END $$;

CREATE TRIGGER "Message_search_insert" AFTER INSERT ON "Message" REFERENCING NEW TABLE AS new_messages
  FOR EACH STATEMENT EXECUTE FUNCTION "inbox_search_on_insert"();
CREATE TRIGGER "Message_search_update" AFTER UPDATE ON "Message" REFERENCING OLD TABLE AS old_messages NEW TABLE AS new_messages
  FOR EACH STATEMENT EXECUTE FUNCTION "inbox_search_on_update"();
CREATE TRIGGER "Message_search_delete" AFTER DELETE ON "Message" REFERENCING OLD TABLE AS old_messages
  FOR EACH STATEMENT EXECUTE FUNCTION "inbox_search_on_delete"();

-- The conversations there are.
INSERT INTO "ConversationSearch" ("conversationId", "shopId", "lexemes")
SELECT m."conversationId", min(m."shopId"), tsvector_to_array(strip(to_tsvector('simple'::regconfig, string_agg(m."body", ' '))))
FROM "Message" m
GROUP BY m."conversationId";
