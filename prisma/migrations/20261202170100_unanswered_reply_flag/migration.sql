-- Unanswered questions are read from the assistant reply's metadata ("unanswered": why), written by the turn
-- pipeline on the offline and the chat-model path alike. Replies stored before that carried the offline "not found"
-- sentence only: they get the flag (the sentence in each language the offline responder speaks, as it was written).
UPDATE "Message" SET "metadata" = "metadata" || '{"unanswered": {"reason": "no_good_match"}}'::jsonb
WHERE "author" = 'assistant' AND "visibility" = 'public' AND NOT ("metadata" ? 'unanswered') AND "body" LIKE ANY (ARRAY[
    '%I couldn''t find an answer to that in our help center, and I don''t want to guess.%',
    '%Je n''ai pas trouvé de réponse à cette question dans notre centre d''aide, et je préfère ne pas deviner.%',
    '%Dazu habe ich in unserem Hilfe-Center keine Antwort gefunden, und ich möchte nicht raten.%',
    '%No he encontrado una respuesta a eso en nuestro centro de ayuda, y prefiero no adivinar.%'
]);
