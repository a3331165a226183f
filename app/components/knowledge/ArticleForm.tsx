import { Banner, BlockStack, Card, FormLayout, Layout, List, Select, Text, TextField } from "@shopify/polaris";
import { type ReactNode, useEffect, useRef } from "react";
import { MAX_BODY_LENGTH, MAX_TITLE_LENGTH } from "~/modules/knowledge";

/* The article form, URL and notice pieces shared by the knowledge screens (list, new, editor, import). */
/** What the article form edits; tags as the merchant types them (comma separated). */
export interface ArticleDraft {
  title: string;
  body: string;
  tags: string;
  language: string;
}

export interface FieldError {
  message: string;
  field: string | null;
}

export const LANGUAGE_OPTIONS = [
  { value: "en", label: "English" },
  { value: "fr", label: "French" },
  { value: "de", label: "German" },
  { value: "es", label: "Spanish" },
  { value: "it", label: "Italian" },
  { value: "nl", label: "Dutch" },
  { value: "pt-BR", label: "Portuguese (Brazil)" },
  { value: "pt-PT", label: "Portuguese (Portugal)" },
  { value: "sv", label: "Swedish" },
  { value: "da", label: "Danish" },
  { value: "nb", label: "Norwegian" },
  { value: "fi", label: "Finnish" },
  { value: "pl", label: "Polish" },
  { value: "ja", label: "Japanese" },
  { value: "ko", label: "Korean" },
  { value: "zh-CN", label: "Chinese (Simplified)" },
];

/** Title, Markdown body with a live character count, tags and language, with the server's field errors inline. */
export function ArticleFields({
  value,
  onChange,
  error,
}: {
  value: ArticleDraft;
  onChange: (next: ArticleDraft) => void;
  error: FieldError | null;
}) {
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  const overLimit = value.body.length > MAX_BODY_LENGTH;
  const languageOptions = LANGUAGE_OPTIONS.some((option) => option.value === value.language)
    ? LANGUAGE_OPTIONS
    : [...LANGUAGE_OPTIONS, { value: value.language, label: value.language }];
  return (
    <Card>
      <FormLayout>
        <TextField
          label="Title"
          name="title"
          value={value.title}
          onChange={(title) => onChange({ ...value, title })}
          autoComplete="off"
          maxLength={MAX_TITLE_LENGTH * 2}
          error={fieldError("title")}
          placeholder="e.g. Gift wrapping and gift messages"
        />
        <TextField
          label="Body"
          name="body"
          value={value.body}
          onChange={(body) => onChange({ ...value, body })}
          autoComplete="off"
          multiline={14}
          maxHeight={560}
          monospaced
          error={fieldError("body")}
          placeholder={"Write in Markdown. Use ## headings for each question a shopper might ask.\n\n## How much does it cost?\n…"}
          helpText={
            <span aria-live="polite">
              <Text as="span" variant="bodySm" tone={overLimit ? "critical" : "subdued"} numeric>
                {value.body.length.toLocaleString("en-US")} / {MAX_BODY_LENGTH.toLocaleString("en-US")} characters
              </Text>
              <Text as="span" variant="bodySm" tone="subdued">
                {" "}
                · Markdown
              </Text>
            </span>
          }
        />
        <FormLayout.Group>
          <TextField
            label="Tags"
            name="tags"
            value={value.tags}
            onChange={(tags) => onChange({ ...value, tags })}
            autoComplete="off"
            helpText="Comma separated, e.g. shipping, gifts"
            error={fieldError("tags")}
            />
          <Select
            label="Language"
            name="language"
            options={languageOptions}
            value={value.language}
            onChange={(language) => onChange({ ...value, language })}
            error={fieldError("language")}
            />
        </FormLayout.Group>
      </FormLayout>
    </Card>
  );
}

/** A refusal of the whole request, above the form (a field's own refusal shows on that field). */
export function FormError({ error, title }: { error: FieldError | null; title: string }) {
  if (!error || error.field) return null;
  return (
    <Layout.Section>
      <Banner tone="critical" title={title}>
        <p>{error.message}</p>
      </Banner>
    </Layout.Section>
  );
}


/**
 * A success message that floats over the bottom of the page like a toast (so nothing moves when it appears or
 * goes) and hides itself after a few seconds. Errors are not shown this way: they stay until fixed.
 */
export function FloatingNotice({ title, children, onDismiss }: { title: string; children?: ReactNode; onDismiss: () => void }) {
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  useEffect(() => {
    const timer = setTimeout(() => dismiss.current(), 6_000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div
      style={{
        position: "fixed",
        insetInline: 0,
        bottom: "var(--p-space-800)",
        display: "flex",
        justifyContent: "center",
        zIndex: 510,
        pointerEvents: "none",
      }}
    >
      <div
        style={{
          pointerEvents: "auto",
          width: "min(480px, calc(100% - 32px))",
          boxShadow: "var(--p-shadow-600)",
          borderRadius: "var(--p-border-radius-300)",
        }}
      >
        <Banner tone="success" title={title} onDismiss={() => dismiss.current()}>
          {children}
        </Banner>
      </div>
    </div>
  );
}

export function WritingTips() {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Writing for the assistant
        </Text>
        <List type="bullet">
          <List.Item>Give each question its own ## heading: the assistant retrieves passages section by section.</List.Item>
          <List.Item>State prices, time limits and conditions plainly, with numbers.</List.Item>
          <List.Item>Drafts are never used in answers; publish when it is ready.</List.Item>
        </List>
      </BlockStack>
    </Card>
  );
}
