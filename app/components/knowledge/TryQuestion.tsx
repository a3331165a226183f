import type { SerializeFrom } from "@remix-run/node";
import { useFetcher, useLocation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, InlineStack, Link, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { SearchResponse } from "~/modules/knowledge";
import { appPath } from "~/components/app-path";
import { formatScore, kindLabel, languageName, plural, snippet } from "./format";

/** Asks the list route's action which passages the assistant would answer a question from, and shows them with their scores. */
export function TryQuestion({ languages }: { languages: string[] }) {
  const fetcher = useFetcher<SearchResponse>();
  const [question, setQuestion] = useState("");
  const [language, setLanguage] = useState("");
  const busy = fetcher.state !== "idle";
  const [cleared, setCleared] = useState<unknown>(null);
  const result = fetcher.data && fetcher.data !== cleared ? fetcher.data : undefined;

  return (
    <section aria-label="Try a question">
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Try a question
            </Text>
            <Text as="p" tone="subdued">
              Ask what a shopper would ask, in their words, to see which passages the assistant would answer from.
            </Text>
          </BlockStack>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="search" />
            <InlineStack gap="200" wrap={false} blockAlign="start">
              <div style={{ flex: 1 }}>
                <TextField
                  label="Question"
                  labelHidden
                  name="question"
                  value={question}
                  onChange={setQuestion}
                  autoComplete="off"
                  placeholder="e.g. Can I send back boots I wore once?"
                  error={result?.error?.field === "question" ? result.error.message : undefined}
                  connectedRight={
                    languages.length > 1 ? (
                      <Select
                        label="Language"
                        labelHidden
                        name="language"
                        value={language}
                        onChange={setLanguage}
                        options={[{ label: "Any language", value: "" }, ...languages.map((code) => ({ label: languageName(code), value: code }))]}
                      />
                    ) : undefined
                  }
                />
              </div>
              <Button variant="primary" submit loading={busy}>
                Ask
              </Button>
            </InlineStack>
          </fetcher.Form>
          {result ? <Answer result={result} busy={busy} showLanguage={languages.length > 1} onClear={() => setCleared(fetcher.data)} /> : null}
        </BlockStack>
      </Card>
    </section>
  );
}

function Answer({ result, busy, showLanguage, onClear }: { result: SerializeFrom<SearchResponse>; busy: boolean; showLanguage: boolean; onClear: () => void }) {
  const location = useLocation();
  if (result.error && result.error.field !== "question") {
    return (
      <Banner tone="critical" title="The search did not run">
        <p>{result.error.message}</p>
      </Banner>
    );
  }
  if (!result.matches) return null;
  if (result.matches.length === 0) {
    return (
      <Box paddingBlock="600">
        <BlockStack gap="200" inlineAlign="center">
          <Text as="h3" variant="headingSm">
            No passage matches this question
          </Text>
          <Text as="p" tone="subdued" alignment="center">
            The assistant would have nothing to answer from. Write an article about it, or check that the article is published and indexed.
          </Text>
        </BlockStack>
      </Box>
    );
  }
  return (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
        <Text as="p" variant="bodySm" tone="subdued">
          {plural(result.matches.length, "passage", "passages")} for “{result.question}”, best first. The fused score is the meaning (vector) similarity plus a
          small bonus for matching keywords (text).
        </Text>
        <Button variant="plain" onClick={onClear}>
          Clear
        </Button>
      </InlineStack>
      <ol aria-label="Retrieved passages" style={{ listStyle: "none", margin: 0, padding: 0, opacity: busy ? 0.5 : 1 }}>
        {result.matches.map((match, index) => (
          <li key={match.chunkId}>
            {index > 0 ? <Divider /> : null}
            <Box paddingBlock="300">
              <InlineStack gap="300" wrap={false} blockAlign="start">
                <Box minWidth="28px">
                  <Text as="span" variant="headingMd" tone="subdued" numeric>
                    {index + 1}
                  </Text>
                </Box>
                <BlockStack gap="150">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h3" variant="headingSm">
                      <Link url={appPath(`/app/knowledge/${match.sourceId}`, location.search)} removeUnderline>
                        {match.title}
                      </Link>
                    </Text>
                    <Badge>{kindLabel(match.kind)}</Badge>
                    {showLanguage ? <Badge tone="info">{languageName(match.language)}</Badge> : null}
                  </InlineStack>
                  {match.heading ? (
                    <Text as="p" variant="bodySm" fontWeight="medium" tone="subdued">
                      § {match.heading}
                    </Text>
                  ) : null}
                  <Text as="p">{snippet(match.content)}</Text>
                  <InlineStack gap="200">
                    <Badge tone={index === 0 ? "success" : undefined}>{`Fused ${formatScore(match.score, 4)}`}</Badge>
                    <Badge>{`Vector ${formatScore(match.vectorScore, 3)}`}</Badge>
                    <Badge>{`Text ${formatScore(match.textScore, 3)}`}</Badge>
                  </InlineStack>
                </BlockStack>
              </InlineStack>
            </Box>
          </li>
        ))}
      </ol>
    </BlockStack>
  );
}
