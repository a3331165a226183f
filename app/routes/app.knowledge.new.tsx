import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation, useSubmit } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { type ArticleDraft, ArticleFields, FormError, LANGUAGE_OPTIONS, WritingTips } from "~/components/knowledge/ArticleForm";
import { appPath } from "~/components/app-path";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { ArticleFormSchema, articleFailure, createArticle, EDITOR_NOT_UNDERSTOOD, MAX_BODY_LENGTH, MAX_TITLE_LENGTH } from "~/modules/knowledge";
import { authenticate } from "~/shopify.server";

const NewArticleSchema = ArticleFormSchema.extend({ intent: z.enum(["draft", "publish"]) });

/**
 * A prefilled draft from the URL (`?title=…&body=…&language=fr`): the dashboard's "Write an article" for a group of
 * unanswered questions. Anything too long or unknown is left out rather than refused: it is only a starting point.
 */
const Prefill = z.object({
  title: z.string().max(MAX_TITLE_LENGTH).catch(""),
  body: z.string().max(MAX_BODY_LENGTH).catch(""),
  language: z
    .string()
    .refine((value) => LANGUAGE_OPTIONS.some((option) => option.value === value))
    .catch("en"),
});

export const meta: MetaFunction = () => [{ title: "New article · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  return { prefill: Prefill.parse({ title: params.get("title") ?? "", body: params.get("body") ?? "", language: params.get("language") ?? "en" }) };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = NewArticleSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json(EDITOR_NOT_UNDERSTOOD, { status: 400 });
  const { shop, staff } = await authenticateStaff(request);
  const { intent, ...article } = parsed.data;
  try {
    const source = await createArticle(
      shop.id,
      { ...article, status: intent === "publish" ? "published" : "draft" },
      { editor: staff.name },
    );
    const url = new URL(request.url);
    return redirect(appPath(`/app/knowledge/${source.id}`, url.search, { notice: intent === "publish" ? "published" : "created" }));
  } catch (error) {
    const failure = articleFailure(error);
    return json(failure.body, { status: failure.status });
  }
}

export default function NewArticle() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const location = useLocation();
  const { prefill } = useLoaderData<typeof loader>();
  const [draft, setDraft] = useState<ArticleDraft>({ ...prefill, tags: "" });
  const busyIntent = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  const error = actionData?.error ?? null;

  const save = (intent: "draft" | "publish") => submit({ intent, ...draft }, { method: "post" });

  return (
    <Page
      title="Add article"
      backAction={{ content: "Knowledge", url: appPath("/app/knowledge", location.search) }}
      primaryAction={{ content: "Publish", onAction: () => save("publish"), loading: busyIntent === "publish", disabled: Boolean(busyIntent) }}
      secondaryActions={[
        { content: "Save draft", onAction: () => save("draft"), loading: busyIntent === "draft", disabled: Boolean(busyIntent) },
      ]}
    >
      <Layout>
        <FormError error={error} title="The article was not saved" />
        <Layout.Section>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              save("draft");
            }}
          >
            <ArticleFields value={draft} onChange={setDraft} error={error} />
          </form>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <WritingTips />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
