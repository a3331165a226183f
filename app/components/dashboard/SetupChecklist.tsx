import { useFetcher, useLocation } from "@remix-run/react";
import { BlockStack, Box, Button, Card, Icon, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { CheckCircleIcon } from "@shopify/polaris-icons";
import { appPath } from "~/components/app-path";
import type { OnboardingItem } from "~/modules/onboarding";

/** An app path with its own query, keeping the embedded admin's parameters of the current page. */
function inApp(url: string, currentSearch: string) {
  const [path, query = ""] = url.split("?");
  return appPath(path!, currentSearch, Object.fromEntries(new URLSearchParams(query)));
}

/** The first-run checklist with its progress; a step nothing can detect is marked done by the person who did it. */
export function SetupChecklist({ items, done, total }: { items: OnboardingItem[]; done: number; total: number }) {
  const location = useLocation();
  const fetcher = useFetcher<{ ok?: boolean; error?: string }>();
  const marking = fetcher.state !== "idle" ? fetcher.formData?.get("step") : null;
  return (
    <section aria-label="Set up Shopdesk">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Set up Shopdesk
            </Text>
            <Text as="p" tone="subdued">
              {`${done} of ${total} done`}
            </Text>
          </InlineStack>
          <ProgressBar progress={Math.round((done / total) * 100)} size="small" tone="success" ariaLabelledBy="setup-progress" />
          <span id="setup-progress" className="visually-hidden">{`Setup progress: ${done} of ${total} steps done`}</span>
          {fetcher.data?.error ? (
            <Text as="p" tone="critical">
              {fetcher.data.error}
            </Text>
          ) : null}
          <BlockStack gap="200">
            {items.map((item) => (
              <Box key={item.step} padding="300" borderColor="border" borderWidth="025" borderRadius="200">
                <InlineStack align="space-between" blockAlign="center" gap="300" wrap={false}>
                  <InlineStack gap="300" blockAlign="start" wrap={false}>
                    <span aria-hidden="true" style={{ opacity: item.done ? 1 : 0.35 }}>
                      <Icon source={CheckCircleIcon} tone={item.done ? "success" : "subdued"} />
                    </span>
                    <BlockStack gap="050">
                      <Text as="h3" variant="headingSm">
                        {item.title}
                        <span className="visually-hidden">{item.done ? " (done)" : " (to do)"}</span>
                      </Text>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {item.description}
                      </Text>
                    </BlockStack>
                  </InlineStack>
                  {item.done ? (
                    <Text as="span" tone="success" variant="bodySm">
                      {item.doneBy === "marked" ? "Marked done" : "Done"}
                    </Text>
                  ) : (
                    <InlineStack gap="200" wrap={false}>
                      <Button url={item.action.external ? item.action.url : inApp(item.action.url, location.search)} target={item.action.external ? "_blank" : undefined}>
                        {item.action.label}
                      </Button>
                      {item.markable ? (
                        <fetcher.Form method="post">
                          <input type="hidden" name="intent" value="onboarding_mark" />
                          <input type="hidden" name="step" value={item.step} />
                          <Button submit variant="plain" loading={marking === item.step} accessibilityLabel={`Mark "${item.title}" as done`}>
                            Mark as done
                          </Button>
                        </fetcher.Form>
                      ) : null}
                    </InlineStack>
                  )}
                </InlineStack>
              </Box>
            ))}
          </BlockStack>
        </BlockStack>
      </Card>
    </section>
  );
}
