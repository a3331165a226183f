/**
 * `npm run -s cli -- metrics --shop <domain> --from YYYY-MM-DD --to YYYY-MM-DD`: the dashboard's figures for a period
 * (days in the shop's time zone, both ends included) as one JSON object, computed as the dashboard computes them
 * (rollups for closed days where stored, the rest from the conversations). Rates are fractions of 1 (4 decimals);
 * times are seconds. Exit 1 when the shop does not exist, 2 for a bad period.
 */
import { parseArgs } from "node:util";
import prisma from "../../app/db.server";
import { getPeriodMetrics, PeriodError, parsePeriodQuery } from "../../app/modules/analytics";

const rate = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 10_000);
const seconds = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

export class MetricsUsageError extends Error {}

export async function runMetrics(args: string[], write = (line: string) => console.log(line)): Promise<number> {
  const { values } = parseArgs({ args, options: { shop: { type: "string" }, from: { type: "string" }, to: { type: "string" } } });
  if (!values.shop || !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(values.shop)) throw new MetricsUsageError("--shop <name>.myshopify.com is required");
  if (!values.from || !values.to) throw new MetricsUsageError("metrics needs --from YYYY-MM-DD --to YYYY-MM-DD");
  let period: { from: string; to: string };
  try {
    const choice = parsePeriodQuery(new URLSearchParams({ from: values.from, to: values.to }));
    if (choice.kind !== "custom") throw new PeriodError("give both --from and --to", "from");
    period = choice.period;
  } catch (error) {
    if (error instanceof PeriodError) throw new MetricsUsageError(`metrics: ${error.message}`);
    throw error;
  }
  const shop = await prisma.shop.findUnique({ where: { domain: values.shop }, select: { id: true, domain: true } });
  if (!shop) {
    console.error(`metrics: no shop ${values.shop} (npm run cli -- shops lists them)`);
    return 1;
  }
  const metrics = await getPeriodMetrics({ shopId: shop.id, period });
  if (!metrics) {
    console.error(`metrics: no shop ${values.shop}`);
    return 1;
  }
  const { summary, clock } = metrics;
  write(
    JSON.stringify({
      shop: shop.domain,
      from: period.from,
      to: period.to,
      timeZone: clock.timeZone,
      conversations: summary.conversations,
      automatedRate: rate(summary.automatedRate),
      handoffRate: rate(summary.handoffRate),
      firstResponseSeconds: { median: seconds(summary.firstResponseSeconds.median), p90: seconds(summary.firstResponseSeconds.p90) },
      resolutionSeconds: { median: seconds(summary.resolutionSeconds.median), p90: seconds(summary.resolutionSeconds.p90) },
      csat: { average: summary.csat.average === null ? null : Math.round(summary.csat.average * 100) / 100, responses: summary.csat.responses },
      byIntent: summary.byIntent,
    }),
  );
  return 0;
}
