import { type ActionFunctionArgs, json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { Breakdowns } from "~/components/dashboard/Breakdowns";
import { DailyCharts } from "~/components/dashboard/DailyCharts";
import dashboardStyles from "~/components/dashboard/dashboard.css";
import { inboxLinks } from "~/components/dashboard/drill-down";
import { ExportCsvButton } from "~/components/dashboard/ExportCsvButton";
import { MetricDefinitions } from "~/components/dashboard/MetricDefinitions";
import { NoConversations } from "~/components/dashboard/NoConversations";
import { PeriodMetrics } from "~/components/dashboard/PeriodMetrics";
import { PeriodPicker } from "~/components/dashboard/PeriodPicker";
import { RightNow } from "~/components/dashboard/RightNow";
import { SetupChecklist } from "~/components/dashboard/SetupChecklist";
import { UnansweredQuestions } from "~/components/dashboard/UnansweredQuestions";
import { PredictionsCard, RETRAIN_INTENT } from "~/components/predictions/PredictionsCard";
import prisma from "~/db.server";
import { getEnv } from "~/env.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { getDashboardReport, METRIC_DEFINITIONS, PERIOD_PRESETS, PRESET_LABELS } from "~/modules/analytics";
import { getOnboardingChecklist, MARKABLE_STEPS, markOnboardingStep } from "~/modules/onboarding";
import { getPredictionsOverview, queuePredictionRefresh } from "~/modules/predictions";
import { ensureShop, getShopOverview } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction = () => [{ title: "Dashboard · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const env = getEnv();
  const [dashboard, overview, setup, predictions] = await Promise.all([
    getDashboardReport(prisma, { shopId: shop.id, timeZone: shop.timezone, query: new URL(request.url).searchParams }),
    getShopOverview(shop.id),
    getOnboardingChecklist({ shopId: shop.id, shopDomain: shop.domain, apiKey: env.shopifyApiKey, demo: env.DEMO_MODE }),
    // Stored by the predictions job: the page never trains or scores.
    getPredictionsOverview(prisma, { shopId: shop.id, currency: shop.currency }),
  ]);
  if (!dashboard) throw new Response("Shop not found", { status: 404 });
  const { report, choice, periodError } = dashboard;
  return json({
    overview,
    report,
    setup,
    predictions,
    selected: choice.kind === "preset" ? choice.preset : null,
    periodError,
    presets: PERIOD_PRESETS.map((value) => ({ value, label: PRESET_LABELS[value] })),
    definitions: METRIC_DEFINITIONS,
  });
}

/** The setup checklist's "Mark as done", recorded with who marked it; the predictions card's "Retrain now". */
export async function action({ request }: ActionFunctionArgs) {
  // Built here, not at module level: the steps come from a server module, absent from the page's browser bundle.
  const DashboardForm = z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("onboarding_mark"), step: z.enum(MARKABLE_STEPS, { error: "not a step that is marked by hand" }) }),
    z.object({ intent: z.literal(RETRAIN_INTENT) }),
  ]);
  const parsed = DashboardForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false, error: parsed.error.issues[0]?.message ?? "This request is not understood", message: undefined }, { status: 400 });
  const { shop, staff } = await authenticateStaff(request);
  if (parsed.data.intent === RETRAIN_INTENT) {
    const queued = await queuePredictionRefresh(prisma, { shopId: shop.id, retrain: true });
    return json({ ok: true, error: undefined, message: queued ? "Retraining queued: reload in a minute for the new models." : "Retraining was already queued." });
  }
  await markOnboardingStep(prisma, { shopId: shop.id, staffId: staff.id, step: parsed.data.step });
  return json({ ok: true, error: undefined, message: undefined });
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const { report, overview } = data;
  const navigation = useNavigation();
  const location = useLocation();
  // A period change keeps the page and shows skeletons where the figures will be.
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app";
  const { summary, period } = report;
  const inbox = inboxLinks(location.search, period);
  const empty = summary.conversations === 0;
  return (
    <Page title="Dashboard" subtitle={overview.shop.name} primaryAction={<ExportCsvButton period={period} disabled={empty || loading} />}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PeriodPicker presets={data.presets} selected={data.selected} period={period} previous={report.previousPeriod} timeZone={report.timeZone} />
            {data.periodError ? (
              <Banner tone="warning" title="That period could not be shown">
                <p>{data.periodError}. Showing the last 30 days instead.</p>
              </Banner>
            ) : null}
            {data.setup.complete ? null : <SetupChecklist items={data.setup.items} done={data.setup.done} total={data.setup.total} />}
            <RightNow overview={overview} />
          </BlockStack>
        </Layout.Section>

        {empty && !loading ? (
          <Layout.Section>
            <NoConversations />
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <PeriodMetrics report={report} inbox={inbox} loading={loading} />
            </Layout.Section>
            <DailyCharts report={report} inbox={inbox} loading={loading} />
            <Layout.Section>
              <Breakdowns summary={summary} inbox={inbox} loading={loading} />
            </Layout.Section>
            <Layout.Section>
              <UnansweredQuestions groups={report.unanswered} total={summary.unanswered} loading={loading} />
            </Layout.Section>
          </>
        )}

        <Layout.Section>
          <PredictionsCard data={data.predictions} timeZone={report.timeZone} />
        </Layout.Section>

        <Layout.Section>
          <MetricDefinitions
            definitions={data.definitions}
            rollupNote={`Past days come from daily rollups refreshed every hour; today is counted from the conversations (at most a minute ago). Times are in ${report.timeZone}.`}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
