import { type DescribeContext, FEATURES, type PredictionKind } from "./features";
import { CHURN_HORIZON_DAYS, type Factor, MIN_EXAMPLES, MIN_PER_CLASS, type ModelMetrics, type ModelStatus } from "./training.server";

/** What the dashboard and the inbox say about a model and its predictions, in plain words. */

export interface FactorView {
  /** "shopper waited 3 h for a first reply from the team — lowers predicted CSAT" */
  text: string;
  /** Whether the factor moves the prediction towards the bad outcome (low CSAT, churn). */
  worsens: boolean;
}

export interface ModelSummary {
  kind: PredictionKind;
  status: ModelStatus | "not_trained";
  usable: boolean;
  /** Churn: the days without an order that count as churn. */
  horizonDays: number | null;
  /** One sentence: the model's held-out quality, or exactly why there are no predictions. */
  summary: string;
  trainedAt: string | null;
}

const EFFECT: Record<PredictionKind, { up: string; down: string }> = {
  // The CSAT model gives the probability of a 4–5 rating; the churn model the probability of no order.
  csat: { up: "raises predicted CSAT", down: "lowers predicted CSAT" },
  churn: { up: "raises churn risk", down: "lowers churn risk" },
};

export function describeFactors(kind: PredictionKind, factors: Factor[], context: DescribeContext): FactorView[] {
  const specs = new Map(FEATURES[kind].map((feature) => [feature.key, feature]));
  return factors.flatMap((factor) => {
    const spec = specs.get(factor.feature);
    if (!spec) return [];
    const up = factor.contribution > 0;
    return [{ text: `${spec.describe(factor.value, context)} — ${up ? EFFECT[kind].up : EFFECT[kind].down}`, worsens: kind === "csat" ? !up : up }];
  });
}

const NOUNS: Record<PredictionKind, { rows: string; one: string; zero: string; start: string }> = {
  csat: {
    rows: "rated conversations",
    one: "rated 4–5",
    zero: "rated 1–3",
    start: `CSAT predictions start at ${MIN_EXAMPLES} rated conversations, with at least ${MIN_PER_CLASS} rated 1–3 and ${MIN_PER_CLASS} rated 4–5`,
  },
  churn: {
    rows: `customers who had ordered by ${CHURN_HORIZON_DAYS} days ago`,
    one: `placed no order in the ${CHURN_HORIZON_DAYS} days after`,
    zero: "ordered again",
    start: `churn predictions start at ${MIN_EXAMPLES} such customers, with at least ${MIN_PER_CLASS} who ordered again and ${MIN_PER_CLASS} who did not`,
  },
};

export function summariseModel(
  kind: PredictionKind,
  row: { status: string; examples: number; positives: number; metrics: unknown; trainedAt: Date } | null,
  usable: boolean,
): ModelSummary {
  const nouns = NOUNS[kind];
  const horizonDays = kind === "churn" ? CHURN_HORIZON_DAYS : null;
  if (!row) {
    return { kind, status: "not_trained", usable: false, horizonDays, summary: "Not trained yet: training runs every day, or use Retrain now.", trainedAt: null };
  }
  const counts = `${row.examples} ${nouns.rows} so far (${row.examples - row.positives} ${nouns.zero}, ${row.positives} ${nouns.one})`;
  const base = { kind, horizonDays, trainedAt: row.trainedAt.toISOString() };
  if (row.status === "too_little_history") {
    return { ...base, status: "too_little_history", usable: false, summary: `Too little history for predictions: ${counts}; ${nouns.start}.` };
  }
  const metrics = row.metrics as ModelMetrics;
  const quality = `held-out AUC ${metrics.auc.toFixed(2)} (${metrics.folds}-fold cross-validation${metrics.repeats ? ` repeated ${metrics.repeats} times` : ""} on ${row.examples} ${nouns.rows}; 0.5 is chance, 1 is perfect), Brier score ${metrics.brier.toFixed(3)} against ${metrics.brierBaseline.toFixed(3)} for always guessing the average`;
  if (row.status === "no_better_than_chance") {
    return {
      ...base,
      status: "no_better_than_chance",
      usable: false,
      summary: `No predictions: on ${nouns.rows} it had not seen, the model did no better than chance with confidence (${quality}).`,
    };
  }
  if (!usable) {
    return { ...base, status: "not_trained", usable: false, summary: "The stored model predates this version's features: it is retrained at the next refresh, or use Retrain now." };
  }
  return { ...base, status: "ready", usable: true, summary: `Model quality: ${quality}.` };
}
