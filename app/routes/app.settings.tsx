import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useLocation, useRouteLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, List, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { appPath } from "~/components/app-path";
import { SettingsFields } from "~/components/settings/SettingsFields";
import { SettingsSaveBar } from "~/components/settings/SettingsSaveBar";
import prisma from "~/db.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { loadSettingsPage, modelOptionsFromEnv, type SaveSettingsResult, SETTINGS_EDITOR_ROLES, type SettingsForm, saveShopSettings } from "~/modules/settings";
import type { loader as appLoader } from "./app";

export const meta: MetaFunction = () => [{ title: "Settings · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, staff } = await authenticateStaff(request);
  const page = await loadSettingsPage(prisma, shop, modelOptionsFromEnv());
  return json({ ...page, canEdit: SETTINGS_EDITOR_ROLES.includes(staff.role), me: { name: staff.name, role: staff.role } });
}

const SaveRequestSchema = z.object({ form: z.record(z.string(), z.unknown()), updatedAt: z.string().max(40) });

export async function action({ request }: ActionFunctionArgs) {
  const { shop, staff } = await authenticateStaff(request);
  const body = SaveRequestSchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return json({ ok: false as const, status: 400 as const, message: "This request is not understood." }, { status: 400 });
  const result = await saveShopSettings(prisma, { shop, editor: staff, form: body.data.form, updatedAt: body.data.updatedAt, model: modelOptionsFromEnv() });
  return json(result, { status: result.ok ? 200 : result.status });
}

type ActionData = SaveSettingsResult | { ok: false; status: 400; message: string };

const same = (a: SettingsForm, b: SettingsForm) => JSON.stringify(a) === JSON.stringify(b);

export default function SettingsPage() {
  const page = useLoaderData<typeof loader>();
  const standalone = useRouteLoaderData<typeof appLoader>("routes/app")?.demo ?? false;
  const location = useLocation();
  const fetcher = useFetcher<ActionData>();
  const [form, setForm] = useState<SettingsForm>(page.form);
  const [saved, setSaved] = useState<{ form: SettingsForm; updatedAt: string }>({ form: page.form, updatedAt: page.updatedAt });
  const [submitted, setSubmitted] = useState<SettingsForm | null>(null);
  // A save whose stored values the page's reloaded data has not brought yet.
  const [awaiting, setAwaiting] = useState<{ updatedAt: string; submitted: SettingsForm } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const saving = fetcher.state !== "idle";
  const result = fetcher.data;

  useEffect(() => {
    if (fetcher.state !== "idle" || !result || !submitted) return;
    if (result.ok) {
      setSaved({ form: submitted, updatedAt: result.updatedAt });
      setAwaiting({ updatedAt: result.updatedAt, submitted });
      const count = result.changes.length;
      setNotice(count > 0 ? `Settings saved (${count} ${count === 1 ? "change" : "changes"}). They apply from the next shopper message.` : "Nothing had changed.");
    }
    setSubmitted(null);
  }, [fetcher.state, result, submitted]);

  useEffect(() => {
    if (!awaiting || page.updatedAt !== awaiting.updatedAt) return;
    // Show the values as stored (amounts with cents, tags in lower case), unless the merchant kept typing.
    setSaved({ form: page.form, updatedAt: page.updatedAt });
    setForm((current) => (same(current, awaiting.submitted) ? page.form : current));
    setAwaiting(null);
  }, [awaiting, page.form, page.updatedAt]);

  const dirty = !same(form, saved.form);
  const fieldErrors = !saving && result && !result.ok && "fieldErrors" in result ? result.fieldErrors : {};
  const problem = !saving && result && !result.ok && "message" in result ? result.message : null;

  const save = () => {
    setNotice(null);
    setSubmitted(form);
    fetcher.submit({ form, updatedAt: saved.updatedAt } as never, { method: "post", encType: "application/json" });
  };
  const discard = () => {
    setForm(saved.form);
    setNotice(null);
  };
  const errorCount = Object.keys(fieldErrors).length;

  return (
    <Page title="Settings" subtitle="How the assistant speaks and what it may do on its own.">
      {page.canEdit ? <SettingsSaveBar standalone={standalone} open={dirty} saving={saving} onSave={save} onDiscard={discard} /> : null}
      <BlockStack gap="400">
        {!page.canEdit ? (
          <Banner tone="info" title="Only the store owner and admins can change settings">
            <p>
              You're signed in as {page.me.name} ({page.me.role}). You can see the settings here; ask an owner or admin to change them.
            </p>
          </Banner>
        ) : null}
        {errorCount > 0 ? (
          <Banner tone="critical" title="Nothing was saved">
            <BlockStack gap="200">
              <Text as="p">
                {errorCount === 1 ? "One field needs" : `${errorCount} fields need`} attention; each is marked below.
              </Text>
              <List type="bullet">
                {Object.values(fieldErrors).map((message) => (
                  <List.Item key={message}>{message}</List.Item>
                ))}
              </List>
            </BlockStack>
          </Banner>
        ) : null}
        {problem ? (
          <Banner tone="critical" title="Nothing was saved">
            <p>{problem}</p>
          </Banner>
        ) : null}
        {notice && !dirty ? (
          <Banner tone="success" onDismiss={() => setNotice(null)}>
            <p>{notice}</p>
          </Banner>
        ) : null}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (page.canEdit && dirty && !saving) save();
          }}
        >
          <SettingsFields form={form} onChange={setForm} errors={fieldErrors} page={page} readOnly={!page.canEdit} privacyUrl={appPath("/app/settings/privacy", location.search)} />
        </form>
        <Layout>
          <Layout.Section>
            <Text as="p" variant="bodySm" tone="subdued">
              Every change is recorded in the action log with who made it.
            </Text>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
