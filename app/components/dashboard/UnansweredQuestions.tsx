import type { SerializeFrom } from "@remix-run/node";
import { useLocation } from "@remix-run/react";
import { BlockStack, Box, Button, Card, InlineStack, Link, List, SkeletonBodyText, Text } from "@shopify/polaris";
import { useState } from "react";
import { appPath } from "~/components/app-path";
import type { UnansweredGroup } from "~/modules/analytics";
import { formatCount, formatDay } from "./format";

/** The period's questions the assistant found no answer to, grouped by wording, each with a prefilled "Write an article". */
export function UnansweredQuestions({ groups, total, loading }: { groups: SerializeFrom<UnansweredGroup>[]; total: number; loading: boolean }) {
  const location = useLocation();
  const [openGroup, setOpenGroup] = useState<string | null>(null);
  return (
    <section aria-label="Questions the assistant could not answer">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Questions the assistant could not answer
          </Text>
          {loading ? (
            <SkeletonBodyText lines={5} />
          ) : groups.length === 0 ? (
            <Text as="p" tone="subdued">
              None in this period: the help center answered everything the assistant was asked.
            </Text>
          ) : (
            <BlockStack gap="300">
              <Text as="p" tone="subdued">
                {`${formatCount(total)} in this period, grouped by similar wording. Write an article for a group and the assistant can answer it next time.`}
              </Text>
              {groups.map((group) => {
                const key = `${group.question}:${group.lastAskedAt}`;
                const body = `Shoppers asked:\n\n${group.examples.map((example) => `- ${example}`).join("\n")}\n\n`;
                return (
                  <Box key={key} padding="300" borderColor="border" borderWidth="025" borderRadius="200">
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="center" gap="200">
                        <BlockStack gap="050">
                          <Text as="h3" variant="headingSm">
                            “{group.question}”
                          </Text>
                          <Text as="p" variant="bodySm" tone="subdued">
                            {`${group.count} ${group.count === 1 ? "time" : "times"} · last asked ${formatDay(group.lastAskedAt.slice(0, 10))}`}
                            {group.examples.length > 1 ? ` · also “${group.examples.slice(1, 3).join("”, “")}”` : ""}
                          </Text>
                        </BlockStack>
                        <InlineStack gap="200">
                          <Button variant="plain" onClick={() => setOpenGroup(openGroup === key ? null : key)} ariaExpanded={openGroup === key}>
                            {openGroup === key ? "Hide conversations" : `${group.conversationIds.length} ${group.conversationIds.length === 1 ? "conversation" : "conversations"}`}
                          </Button>
                          <Button url={appPath("/app/knowledge/new", location.search, { title: group.question.slice(0, 200), body, language: group.language })}>Write an article</Button>
                        </InlineStack>
                      </InlineStack>
                      {openGroup === key ? (
                        <List type="bullet">
                          {group.conversationIds.map((id) => (
                            <List.Item key={id}>
                              <Link url={appPath(`/app/inbox/${id}`, location.search, { view: "all" })}>{`Conversation ${id.slice(0, 8)}`}</Link>
                            </List.Item>
                          ))}
                        </List>
                      ) : null}
                    </BlockStack>
                  </Box>
                );
              })}
            </BlockStack>
          )}
        </BlockStack>
      </Card>
    </section>
  );
}
