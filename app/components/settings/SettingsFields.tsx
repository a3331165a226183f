import { BlockStack, Box, Button, Checkbox, ChoiceList, FormLayout, InlineGrid, InlineStack, Layout, Select, Text, TextField, Thumbnail } from "@shopify/polaris";
import type { ApprovalAction, FieldErrors, SettingsForm, SettingsPage, Weekday } from "~/modules/settings";

const LANGUAGE_LABELS: Record<string, string> = { en: "English", fr: "French", de: "German", es: "Spanish" };
const WEEKDAY_ORDER: Weekday[] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const capitalized = (day: string) => day.charAt(0).toUpperCase() + day.slice(1);

const APPROVAL_CHOICES: { value: ApprovalAction; label: string; helpText: string }[] = [
  { value: "cancel", label: "Cancellations", helpText: "The assistant passes cancellation requests to your team instead of cancelling." },
  { value: "addressChange", label: "Shipping address changes", helpText: "A person checks and applies each new address." },
  { value: "return", label: "Returns", helpText: "Every return waits for your team, whatever its amount." },
  { value: "refund", label: "Refunds", helpText: "No refund is approved by the assistant, whatever the auto-approve limit." },
];

function isHttpsUrl(value: string) {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

interface Props {
  form: SettingsForm;
  onChange: (form: SettingsForm) => void;
  errors: FieldErrors;
  page: Pick<SettingsPage, "options" | "currency" | "modelConfigurable" | "defaultChatModel">;
  readOnly: boolean;
  privacyUrl: string;
}

/** Every setting the page edits, in Polaris annotated sections; each field shows its own error. */
export function SettingsFields({ form, onChange, errors, page, readOnly, privacyUrl }: Props) {
  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => onChange({ ...form, [key]: value });
  const setDay = (day: Weekday, change: Partial<SettingsForm["hours"][Weekday]>) => set("hours", { ...form.hours, [day]: { ...form.hours[day], ...change } });
  const text = (key: keyof SettingsForm) => ({
    value: String(form[key]),
    onChange: (value: string) => set(key, value as never),
    error: errors[key],
    autoComplete: "off",
    disabled: readOnly,
  });
  const tone = page.options.tones.find((option) => option.value === form.brandTone);
  const money = { prefix: page.currency, type: "text" as const, inputMode: "decimal" as const };

  return (
    <Layout>
      <Layout.AnnotatedSection id="assistant" title="Assistant" description="Who shoppers talk to in the chat bubble, and how it speaks.">
        <Box background="bg-surface" padding="400" borderRadius="300" shadow="100">
          <FormLayout>
            <FormLayout.Group>
              <TextField label="Assistant name" {...text("assistantName")} maxLength={60} showCharacterCount />
              <TextField
                label="Avatar image"
                {...text("avatarUrl")}
                type="url"
                placeholder="https://cdn.example.com/assistant.png"
                helpText="An https address of a square image, shown beside the name in the chat. Leave empty for none."
                connectedRight={isHttpsUrl(form.avatarUrl) ? <Thumbnail source={form.avatarUrl} alt="Avatar preview" size="small" /> : undefined}
              />
            </FormLayout.Group>
            <TextField label="Greeting" {...text("greeting")} multiline={3} maxLength={500} helpText="The first message in the chat, in your store's primary language." />
            <Select
              label="Tone"
              options={page.options.tones.map((option) => ({ value: option.value, label: option.label }))}
              value={form.brandTone}
              onChange={(value) => set("brandTone", value)}
              error={errors.brandTone}
              disabled={readOnly}
              helpText={tone ? `${tone.description} Used by the OpenAI model; the offline assistant's replies are neutral.` : undefined}
            />
            <TextField label="Brand voice" {...text("brandVoice")} multiline={3} helpText="Anything to add to the tone, in your own words (e.g. “Use the shopper's first name”)." />
            <ChoiceList
              title="Reply languages"
              allowMultiple
              choices={page.options.languages.map((code) => ({ value: code, label: LANGUAGE_LABELS[code] ?? code }))}
              selected={form.replyLanguages}
              onChange={(selected) => set("replyLanguages", selected)}
              error={errors.replyLanguages}
              disabled={readOnly}
            />
            <Text as="p" variant="bodySm" tone="subdued">
              A shopper who writes in another language is answered in your store's primary language among these, and told which languages the
              assistant speaks. With all four ticked, the assistant answers in the shopper's language.
            </Text>
            <TextField label="Never say" {...text("neverSay")} multiline={3} helpText="One phrase per line. A reply containing one is never sent." />
            <TextField label="Handoff keywords" {...text("handoffKeywords")} multiline={3} helpText="One per line. A message with one of these words goes straight to your team." />
          </FormLayout>
        </Box>
      </Layout.AnnotatedSection>

      <Layout.AnnotatedSection id="returns" title="Returns, refunds and cancellations" description="What the assistant may accept on its own. It enforces these whatever a shopper says.">
        <Box background="bg-surface" padding="400" borderRadius="300" shadow="100">
          <FormLayout>
            <FormLayout.Group>
              <TextField label="Return window" {...text("returnWindowDays")} type="text" inputMode="numeric" suffix="days after delivery" />
              <TextField label="Auto-approve refunds up to" {...text("autoApproveRefundLimit")} {...money} helpText="Larger refunds wait for your team." />
            </FormLayout.Group>
            <TextField label="Return conditions" {...text("returnConditions")} multiline={3} />
            <TextField
              label="Non-returnable product tags"
              {...text("nonReturnableTags")}
              helpText="Comma-separated, e.g. final sale, non-returnable. Products with one of these tags (and gift cards) can't be returned."
            />
            <FormLayout.Group>
              <TextField label="Return fee" {...text("returnFee")} {...money} helpText="Taken off each return's refund." />
              <Box paddingBlockStart="600">
                <Checkbox label="Refund the tax paid on returned items" checked={form.refundTax} onChange={(checked) => set("refundTax", checked)} disabled={readOnly} />
              </Box>
            </FormLayout.Group>
            <ChoiceList
              title="Orders can be cancelled"
              choices={[
                { value: "until_shipped", label: "Until they ship" },
                {
                  value: "minutes",
                  label: "Within a time after they are placed",
                  renderChildren: (selected) =>
                    selected ? (
                      <Box maxWidth="240px">
                        <TextField label="Cancellation window" labelHidden {...text("cancelWindowMinutes")} inputMode="numeric" suffix="minutes" />
                      </Box>
                    ) : null,
                },
              ]}
              selected={[form.cancelWindow]}
              onChange={([value]) => set("cancelWindow", value ?? "until_shipped")}
              error={errors.cancelWindow}
              disabled={readOnly}
            />
          </FormLayout>
        </Box>
      </Layout.AnnotatedSection>

      <Layout.AnnotatedSection id="approval" title="Staff approval" description="Actions the assistant only passes on: a person at your store decides.">
        <Box background="bg-surface" padding="400" borderRadius="300" shadow="100">
          <ChoiceList
            title="Need staff approval"
            allowMultiple
            choices={APPROVAL_CHOICES}
            selected={APPROVAL_CHOICES.filter((choice) => form.approvals[choice.value]).map((choice) => choice.value)}
            onChange={(selected) => set("approvals", Object.fromEntries(APPROVAL_CHOICES.map((choice) => [choice.value, selected.includes(choice.value)])) as SettingsForm["approvals"])}
            disabled={readOnly}
          />
        </Box>
      </Layout.AnnotatedSection>

      <Layout.AnnotatedSection id="escalation" title="Escalation" description="When the assistant hands a conversation to your team.">
        <Box background="bg-surface" padding="400" borderRadius="300" shadow="100">
          <FormLayout>
            <TextField
              label="Orders worth more than"
              {...text("orderValueThreshold")}
              {...money}
              helpText="Refunds, returns and cancellations on these always go to a person. Leave empty for no limit."
            />
            <FormLayout.Group>
              <TextField label="Frustration threshold" {...text("frustrationThreshold")} inputMode="numeric" suffix="%" helpText="Hand off when a shopper's frustration reaches this." />
              <TextField label="Unanswered messages before offering a person" {...text("maxFailedTurns")} inputMode="numeric" />
            </FormLayout.Group>
          </FormLayout>
        </Box>
      </Layout.AnnotatedSection>

      <Layout.AnnotatedSection
        id="hours"
        title="Business hours"
        description="When your team answers. Shoppers handed off are told when to expect a reply, and response targets count only these hours."
      >
        <Box background="bg-surface" padding="400" borderRadius="300" shadow="100">
          <FormLayout>
            <Select label="Time zone" options={page.options.timezones} value={form.timezone} onChange={(value) => set("timezone", value)} error={errors.timezone} disabled={readOnly} />
            <BlockStack gap="200">
              {WEEKDAY_ORDER.map((day) => (
                <InlineGrid key={day} columns={{ xs: 1, sm: ["oneThird", "oneThird", "oneThird"] }} gap="200" alignItems="start">
                  <Box paddingBlockStart="150">
                    <Checkbox label={capitalized(day)} checked={form.hours[day].open} onChange={(open) => setDay(day, { open })} disabled={readOnly} />
                  </Box>
                  {form.hours[day].open ? (
                    <>
                      <TextField
                        label={`${capitalized(day)} opens`}
                        labelHidden
                        type="time"
                        value={form.hours[day].from}
                        onChange={(from) => setDay(day, { from })}
                        error={errors[`hours.${day}.from`]}
                        autoComplete="off"
                        disabled={readOnly}
                      />
                      <TextField
                        label={`${capitalized(day)} closes`}
                        labelHidden
                        type="time"
                        value={form.hours[day].to}
                        onChange={(to) => setDay(day, { to })}
                        error={errors[`hours.${day}.to`]}
                        autoComplete="off"
                        disabled={readOnly}
                      />
                    </>
                  ) : (
                    <Box paddingBlockStart="150">
                      <Text as="span" tone="subdued">
                        Closed
                      </Text>
                    </Box>
                  )}
                </InlineGrid>
              ))}
            </BlockStack>
            <Text as="p" variant="bodySm" tone="subdued">
              A closing time before the opening time runs past midnight. With no open day, the assistant promises no reply time.
            </Text>
            <TextField label="Expected response time" {...text("expectedResponse")} placeholder="within 1 business day" helpText="Told to shoppers when they are handed off. Written as a time (“within 2 hours”, “24h”, “within 1 business day”) it is said in each shopper's language; other wording is shown to English-speaking shoppers only." />
          </FormLayout>
        </Box>
      </Layout.AnnotatedSection>

      <Layout.AnnotatedSection id="retention" title="Data retention" description="How long Shopdesk keeps what it stores.">
        <Box background="bg-surface" padding="400" borderRadius="300" shadow="100">
          <FormLayout>
            <TextField
              label="Delete conversations after"
              {...text("conversationRetentionDays")}
              inputMode="numeric"
              suffix="days"
              helpText="Leave empty to keep conversations. An hourly job deletes each conversation with no activity (a message, an internal note or a change by your team) for this many days, with its messages, notes, rating, action-log entries and notifications. Conversations still being worked stay until they are resolved or closed: open ones, those waiting on your team, and those a team member took over. The dashboard's figures keep counting deleted conversations (counts, times and ratings, no text), but their lists and the CSV no longer show them."
            />
            <TextField
              label="Delete raw webhook payloads after"
              {...text("webhookPayloadRetentionDays")}
              inputMode="numeric"
              suffix="days"
              helpText="An hourly job deletes the raw deliveries Shopify sent; the orders, customers and products they carried stay."
            />
            <InlineStack>
              <Button url={privacyUrl}>Customer data requests and erasure</Button>
            </InlineStack>
          </FormLayout>
        </Box>
      </Layout.AnnotatedSection>

      {page.modelConfigurable ? (
        <Layout.AnnotatedSection id="model" title="AI model" description="The OpenAI model that writes the assistant's replies and your team's drafts.">
          <Box background="bg-surface" padding="400" borderRadius="300" shadow="100">
            <TextField
              label="OpenAI model"
              {...text("chatModel")}
              placeholder={page.defaultChatModel}
              helpText={`Leave empty for the server's default (${page.defaultChatModel}). The API key is set on the server and never shown here.`}
            />
          </Box>
        </Layout.AnnotatedSection>
      ) : null}
    </Layout>
  );
}
