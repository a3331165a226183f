import { type ActionFunctionArgs, json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Link, List, Page, SkeletonBodyText, Text } from "@shopify/polaris";
import { type ReactNode, useState } from "react";
import { BarList, type BarRow, DailyColumns, TrendLine } from "~/components/dashboard/charts";
import dashboardStyles from "~/components/dashboard/dashboard.css";
import {
  CHANNEL_NAMES,
  describeChange,
  formatCount,
  formatDay,
  formatDuration,
  formatMoney,
  formatPercent,
  humanise,
  languageName,
} from "~/components/dashboard/format";
import { MetricCard } from "~/components/dashboard/MetricCard";
import { PeriodPicker } from "~/components/dashboard/PeriodPicker";
import { SetupChecklist } from "~/components/dashboard/SetupChecklist";
import { PredictionsCard, RETRAIN_INTENT } from "~/components/predictions/PredictionsCard";
import { appPath } from "~/components/app-path";
import prisma from "~/db.server";
import { getEnv } from "~/env.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import {
  type AnalyticsSegment,
  DEFAULT_PRESET,
  getAnalyticsReport,
  localDay,
  METRIC_DEFINITIONS,
  PERIOD_PRESETS,
  PeriodError,
  type PeriodChoice,
  parsePeriodQuery,
  PRESET_LABELS,
  queueRollupRefresh,
  resolvePeriod,
} from "~/modules/analytics";
import { getOnboardingChecklist, MARKABLE_STEPS, markOnboardingStep } from "~/modules/onboarding";
import { getPredictionsOverview, queuePredictionRefresh } from "~/modules/predictions";
import { ensureShop, getShopOverview } from "~/modules/shops";
import { authenticate } from "~/shopify.server";
import { z } from "zod";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction = () => [{ title: "Dashboard · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  // A hand-edited or stale period shows the default one with the reason, rather than an error page.
  let choice: PeriodChoice;
  let periodError: string | null = null;
  try {
    choice = parsePeriodQuery(new URL(request.url).searchParams);
  } catch (error) {
    if (!(error instanceof PeriodError)) throw error;
    periodError = error.message;
    choice = { kind: "preset", preset: DEFAULT_PRESET };
  }
  // No `now`: today's figures may come from a computation up to a minute old (see the analytics module).
  const env = getEnv();
  const [report, overview, setup, predictions] = await Promise.all([
    getAnalyticsReport({ shopId: shop.id, period: resolvePeriod(choice, localDay(new Date(), shop.timezone)) }),
    getShopOverview(shop.id),
    getOnboardingChecklist({ shopId: shop.id, shopDomain: shop.domain, apiKey: env.shopifyApiKey, demo: env.DEMO_MODE }),
    // Stored by the predictions job: the page never trains or scores.
    getPredictionsOverview(prisma, { shopId: shop.id, currency: shop.currency }),
  ]);
  if (!report) throw new Response("Shop not found", { status: 404 });
  // Closed days without a rollup were computed for this page; the refresh job stores them for the next one.
  if (report.source.missing.length > 0) await queueRollupRefresh(prisma, shop.id);
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

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const { report, overview, definitions } = data;
  const navigation = useNavigation();
  const location = useLocation();
  // A period change keeps the page and shows skeletons where the figures will be.
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app";
  const { summary, previous, period } = report;
  /** The inbox listing the conversations behind a figure (All view, this period, plus any filter). */
  const inbox = (metric: AnalyticsSegment, extra: Record<string, string> = {}, days: { from: string; to: string } = period) =>
    appPath("/app/inbox", location.search, { view: "all", metric, from: days.from, to: days.to, ...extra });
  const empty = summary.conversations === 0;
  return (
    <Page
      title="Dashboard"
      subtitle={overview.shop.name}
      primaryAction={<ExportButton period={period} disabled={empty || loading} />}
    >
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
            <section aria-label="No conversations">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    No conversations in this period
                  </Text>
                  <Text as="p" tone="subdued">
                    Figures appear once shoppers write to the assistant: turn on the chat bubble in your theme, or pick a longer period. A conversation counts
                    when the shopper has written at least one message.
                  </Text>
                </BlockStack>
              </Card>
            </section>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                <MetricCard
                  label="Conversations"
                  value={formatCount(summary.conversations)}
                  href={inbox("conversations")}
                  change={describeChange(summary.conversations, previous.conversations, "relative", "higher")}
                  detail={`${formatCount(summary.reachedStaff)} reached your team`}
                  loading={loading}
                />
                <MetricCard
                  label="Automated"
                  value={formatPercent(summary.automatedRate)}
                  href={inbox("automated")}
                  change={describeChange(summary.automatedRate, previous.automatedRate, "rate", "higher")}
                  detail={
                    <>
                      {formatCount(summary.automated)} resolved by the assistant
                      {summary.pending > 0 ? (
                        <>
                          {" · "}
                          <Link url={inbox("pending")} monochrome>
                            {`${formatCount(summary.pending)} pending`}
                          </Link>
                        </>
                      ) : null}
                    </>
                  }
                  loading={loading}
                />
                <MetricCard
                  label="Handoff rate"
                  value={formatPercent(summary.handoffRate)}
                  href={inbox("handed_off")}
                  change={describeChange(summary.handoffRate, previous.handoffRate, "rate", "lower")}
                  detail={`${formatCount(summary.handedOff)} handed to a person`}
                  loading={loading}
                />
                <MetricCard
                  label="CSAT"
                  value={summary.csat.average === null ? "—" : `${summary.csat.average.toFixed(2)} / 5`}
                  href={inbox("rated")}
                  change={describeChange(summary.csat.average, previous.csat.average, "relative", "higher")}
                  detail={`${formatCount(summary.csat.responses)} ${summary.csat.responses === 1 ? "rating" : "ratings"}`}
                  loading={loading}
                />
                <MetricCard
                  label="First response time"
                  value={formatDuration(summary.firstResponseSeconds.median)}
                  href={inbox("first_response")}
                  change={describeChange(summary.firstResponseSeconds.median, previous.firstResponseSeconds.median, "relative", "lower")}
                  detail={`median · p90 ${formatDuration(summary.firstResponseSeconds.p90)} · ${formatCount(summary.firstResponseSeconds.count)} answered by your team`}
                  loading={loading}
                />
                <MetricCard
                  label="Resolution time"
                  value={formatDuration(summary.resolutionSeconds.median)}
                  href={inbox("resolved")}
                  change={describeChange(summary.resolutionSeconds.median, previous.resolutionSeconds.median, "relative", "lower")}
                  detail={`median · p90 ${formatDuration(summary.resolutionSeconds.p90)} · ${formatCount(summary.resolutionSeconds.count)} resolved`}
                  loading={loading}
                />
                <MetricCard
                  label="Revenue influenced"
                  value={formatMoney(summary.influenced.revenue, report.currency)}
                  href={inbox("influenced")}
                  change={describeChange(summary.influenced.revenue[report.currency] ?? 0, previous.influenced.revenue[report.currency] ?? 0, "relative", "higher")}
                  detail={`${formatCount(summary.influenced.orders)} ${summary.influenced.orders === 1 ? "order" : "orders"} within 24 h of a conversation`}
                  loading={loading}
                />
                <MetricCard
                  label="Unanswered questions"
                  value={formatCount(summary.unanswered)}
                  href={inbox("unanswered")}
                  change={describeChange(summary.unanswered, previous.unanswered, "relative", "lower")}
                  detail="the assistant found no answer in your help center"
                  loading={loading}
                />
              </InlineGrid>
            </Layout.Section>

            <Layout.Section>
              <ChartCard title="Conversations per day" loading={loading}>
                <DailyColumns
                  days={report.days.map((day) => ({
                    day: day.day,
                    conversations: day.conversations,
                    automated: day.automated,
                    handedOff: day.handedOff,
                    href: inbox("conversations", {}, { from: day.day, to: day.day }),
                  }))}
                />
              </ChartCard>
            </Layout.Section>

            <Layout.Section variant="oneHalf">
              <ChartCard title="Automated rate per day" loading={loading}>
                <TrendLine
                  name="Automated rate per day"
                  min={0}
                  max={1}
                  points={report.days.map((day) => ({
                    day: day.day,
                    value: day.automatedRate,
                    label: day.automatedRate === null && day.pending > 0 ? `${formatCount(day.pending)} still within 72 hours` : `${formatPercent(day.automatedRate)} automated`,
                    href: inbox("automated", {}, { from: day.day, to: day.day }),
                  }))}
                />
              </ChartCard>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <ChartCard title="Sentiment per day" loading={loading} note={summary.sentiment.average === null ? undefined : `average ${summary.sentiment.average.toFixed(2)} (−1 … +1)`}>
                <TrendLine
                  name="Sentiment per day"
                  min={-1}
                  max={1}
                  zero={0}
                  points={report.days.map((day) => ({
                    day: day.day,
                    value: day.sentimentAverage,
                    label: day.sentimentAverage === null ? "no sentiment" : `sentiment ${day.sentimentAverage.toFixed(2)}`,
                    href: inbox("conversations", {}, { from: day.day, to: day.day }),
                  }))}
                />
              </ChartCard>
            </Layout.Section>

            <Layout.Section>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <ChartCard title="By intent" loading={loading}>
                  <BarList name="Conversations by intent" rows={volumeRows(summary.byIntent, (key) => (key === "unknown" ? "Not classified" : humanise(key)), (key) => (key === "unknown" ? undefined : inbox("conversations", { intent: key })), 8)} />
                </ChartCard>
                <ChartCard title="CSAT ratings" loading={loading}>
                  <BarList
                    name="Ratings"
                    rows={(["5", "4", "3", "2", "1"] as const).map((score) => ({
                      key: score,
                      label: `${score} ★`,
                      value: summary.csat.distribution[score],
                      href: inbox(`csat_${score}` as AnalyticsSegment),
                    }))}
                  />
                </ChartCard>
                <ChartCard title="By language" loading={loading}>
                  <BarList name="Conversations by language" rows={volumeRows(summary.byLanguage, languageName, (key) => inbox("conversations", { language: key }), 6)} />
                </ChartCard>
                <ChartCard title="By channel" loading={loading}>
                  <BarList name="Conversations by channel" rows={volumeRows(summary.byChannel, (key) => CHANNEL_NAMES[key] ?? humanise(key), (key) => inbox("conversations", { channel: key }), 3)} />
                </ChartCard>
              </InlineGrid>
            </Layout.Section>

            <Layout.Section>
              <UnansweredCard groups={report.unanswered} total={summary.unanswered} loading={loading} />
            </Layout.Section>
          </>
        )}

        <Layout.Section>
          <PredictionsCard data={data.predictions} timeZone={report.timeZone} />
        </Layout.Section>

        <Layout.Section>
          <Definitions definitions={definitions} rollupNote={`Past days come from daily rollups refreshed every hour; today is counted from the conversations (at most a minute ago). Times are in ${report.timeZone}.`} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function volumeRows(counts: Record<string, number>, label: (key: string) => string, href: (key: string) => string | undefined, limit: number): BarRow[] {
  return Object.entries(counts)
    .slice(0, limit)
    .map(([key, value]) => ({ key, label: label(key), value, href: href(key) }));
}

function ChartCard({ title, loading, note, children }: { title: string; loading: boolean; note?: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="baseline">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            {note ? (
              <Text as="span" tone="subdued" variant="bodySm">
                {note}
              </Text>
            ) : null}
          </InlineStack>
          {loading ? (
            <div style={{ minHeight: 160 }}>
              <SkeletonBodyText lines={6} />
            </div>
          ) : (
            children
          )}
        </BlockStack>
      </Card>
    </section>
  );
}

/** What is happening now, whatever the period: open work, synced orders, knowledge. */
function RightNow({ overview }: { overview: Data["overview"] }) {
  const figure = (label: string, value: number, detail: string) => (
    <section aria-label={label}>
      <Box padding="300" background="bg-surface" borderRadius="300" shadow="100">
        <BlockStack gap="050">
          <Text as="p" variant="headingLg">
            {value.toLocaleString("en-US")}
          </Text>
          <Text as="h3" variant="bodySm" tone="subdued">
            {label} · {detail}
          </Text>
        </BlockStack>
      </Box>
    </section>
  );
  return (
    <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
      {figure("Open conversations", overview.conversations.open + overview.conversations.waitingOnStaff, `${overview.conversations.waitingOnStaff} waiting on your team`)}
      {figure("Orders synced", overview.orders.total, `${overview.orders.last30Days} in the last 30 days`)}
      {figure("Knowledge sources", overview.knowledge.published, `published · ${overview.knowledge.drafts} drafts · ${overview.products} products`)}
    </InlineGrid>
  );
}

function UnansweredCard({ groups, total, loading }: { groups: Data["report"]["unanswered"]; total: number; loading: boolean }) {
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

function Definitions({ definitions, rollupNote }: { definitions: Data["definitions"]; rollupNote: string }) {
  const rows: [string, string][] = [
    ["Days", definitions.period],
    ["Conversation", definitions.conversation],
    ["Automated", definitions.automated],
    ["Handoff rate", definitions.handoff],
    ["First response time", definitions.firstResponse],
    ["Resolution time", definitions.resolution],
    ["CSAT", definitions.csat],
    ["Volume and sentiment", `${definitions.volume} ${definitions.sentiment}`],
    ["Unanswered questions", definitions.unanswered],
    ["Revenue influenced", definitions.revenue],
  ];
  return (
    <section aria-label="How these figures are counted">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            How these figures are counted
          </Text>
          <BlockStack gap="200">
            {rows.map(([term, text]) => (
              <Text as="p" key={term}>
                <Text as="span" fontWeight="semibold">
                  {term}:
                </Text>{" "}
                {text}
              </Text>
            ))}
            <Text as="p" tone="subdued">
              {rollupNote} Every figure links to the conversations behind it; Export CSV gives one row per conversation.
            </Text>
          </BlockStack>
        </BlockStack>
      </Card>
    </section>
  );
}

/** The period's conversations as CSV. A fetch, not a link: App Bridge adds the session token to fetches only. */
function ExportButton({ period, disabled }: { period: { from: string; to: string }; disabled: boolean }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setFailed(null);
    try {
      const response = await fetch(`/app/analytics/export?${new URLSearchParams(period)}`);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        setFailed(body?.error ?? `The export failed (HTTP ${response.status}).`);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = `conversations-${period.from}-to-${period.to}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setFailed("The export failed: the app could not be reached.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <InlineStack gap="200" blockAlign="center">
      {failed ? (
        <Text as="span" tone="critical">
          {failed}
        </Text>
      ) : null}
      <Button variant="primary" onClick={download} loading={busy} disabled={disabled}>
        Export CSV
      </Button>
    </InlineStack>
  );
}
