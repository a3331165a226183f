/**
 * Imported first by the suite: it measures the offline assistant, so a configured online model (OPENAI_API_KEY in
 * the developer's environment) must not answer, nor reach the network.
 */
delete process.env.OPENAI_API_KEY;
delete process.env.OPENAI_BASE_URL;
