import { mulberry32 } from "~/lib/random";

/**
 * L2-regularised logistic regression, small on purpose: a shop's history is hundreds of rows and a dozen features,
 * and every weight must be explainable. Features are standardised with the training rows' means and standard
 * deviations; the intercept is not penalised. Fitted by Newton's method (IRLS), which is deterministic and
 * converges in a handful of steps here. A constant feature gets standard deviation 1 and weight 0 (its gradient
 * is always zero and the penalty pulls it there), so it never contributes to a prediction.
 */

export interface LogisticModel {
  intercept: number;
  /** One per feature, on the standardised scale. */
  weights: number[];
  means: number[];
  stds: number[];
}

export interface FitOptions {
  /** L2 penalty: ½·l2·Σ weight² added to the summed log-loss (default 1, mild next to hundreds of rows). */
  l2?: number;
  maxIterations?: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Means and standard deviations per column; a constant column gets 1, so its standardised value is 0. */
function standardiser(rows: number[][]): { means: number[]; stds: number[] } {
  const width = rows[0]?.length ?? 0;
  const means = Array.from({ length: width }, (_, j) => rows.reduce((sum, row) => sum + row[j]!, 0) / Math.max(1, rows.length));
  const stds = means.map((mean, j) => {
    const variance = rows.reduce((sum, row) => sum + (row[j]! - mean) ** 2, 0) / Math.max(1, rows.length);
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { means, stds };
}

function standardise(model: Pick<LogisticModel, "means" | "stds">, row: number[]): number[] {
  return row.map((value, j) => (value - model.means[j]!) / model.stds[j]!);
}

/** Solves A·x = b (A symmetric positive definite here) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const head = m[col]!;
    for (let row = col + 1; row < n; row++) {
      const factor = m[row]![col]! / head[col]!;
      for (let k = col; k <= n; k++) m[row]![k]! -= factor * head[k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= m[row]![k]! * x[k]!;
    x[row] = sum / m[row]![row]!;
  }
  return x;
}

/** Fits P(label = 1 | row). Labels are 0 or 1; rows all have the same width. */
export function fitLogistic(rows: number[][], labels: number[], options: FitOptions = {}): LogisticModel {
  if (rows.length === 0 || rows.length !== labels.length) throw new Error("fitLogistic: needs as many labels as rows, and at least one");
  const { means, stds } = standardiser(rows);
  // Column 0 is the intercept.
  const x = rows.map((row) => [1, ...standardise({ means, stds }, row)]);
  const width = x[0]!.length;
  const l2 = options.l2 ?? 1;
  let beta = new Array<number>(width).fill(0);
  for (let iteration = 0; iteration < (options.maxIterations ?? 50); iteration++) {
    const gradient = beta.map((b, j) => (j === 0 ? 0 : l2 * b));
    const hessian = Array.from({ length: width }, (_, i) => Array.from({ length: width }, (_, j) => (i === j && i > 0 ? l2 : 0)));
    for (let r = 0; r < x.length; r++) {
      const xi = x[r]!;
      const p = sigmoid(xi.reduce((sum, value, j) => sum + value * beta[j]!, 0));
      const w = Math.max(p * (1 - p), 1e-10);
      for (let i = 0; i < width; i++) {
        gradient[i]! += (p - labels[r]!) * xi[i]!;
        for (let j = 0; j < width; j++) hessian[i]![j]! += w * xi[i]! * xi[j]!;
      }
    }
    const step = solve(hessian, gradient);
    beta = beta.map((b, j) => b - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { intercept: beta[0]!, weights: beta.slice(1), means, stds };
}

/** Each feature's contribution to the log-odds: weight × standardised value. */
export function contributions(model: LogisticModel, row: number[]): number[] {
  return standardise(model, row).map((z, j) => model.weights[j]! * z);
}

export function predictProbability(model: LogisticModel, row: number[]): number {
  return sigmoid(model.intercept + contributions(model, row).reduce((sum, value) => sum + value, 0));
}

/** Area under the ROC curve (Mann–Whitney, ties count half); null without both classes. */
export function rocAuc(probabilities: number[], labels: number[]): number | null {
  const order = probabilities.map((p, i) => ({ p, label: labels[i]! })).sort((a, b) => a.p - b.p);
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.p === order[i]!.p) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k]!.label === 1) rankSum += averageRank;
    i = j;
  }
  const positives = labels.filter((label) => label === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The one-sided 95 % lower bound of an AUC measured on `positives` and `negatives` examples (Hanley & McNeil's
 * standard error): above 0.5, the model ranks better than chance with reasonable confidence.
 */
export function aucLowerBound(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  return auc - 1.645 * Math.sqrt(Math.max(variance, 0));
}

/** Mean squared error of the probabilities (lower is better; predicting the base rate scores p(1 − p)). */
export function brierScore(probabilities: number[], labels: number[]): number {
  return probabilities.reduce((sum, p, i) => sum + (p - labels[i]!) ** 2, 0) / Math.max(1, probabilities.length);
}

/**
 * Out-of-fold probabilities from `folds`-fold cross-validation, stratified by label: each row is predicted by a
 * model that never saw it. Each class's rows are shuffled with `seed` and dealt to the folds in turn, so the
 * result is deterministic for the same rows and seed.
 */
export function crossValidatedProbabilities(rows: number[][], labels: number[], folds: number, options: FitOptions & { seed?: number } = {}): number[] {
  const random = mulberry32(options.seed ?? 1);
  const foldOf = new Array<number>(rows.length);
  for (const label of [0, 1]) {
    const members = labels.flatMap((value, i) => (value === label ? [i] : []));
    // Fisher–Yates with the seeded generator.
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    members.forEach((row, position) => {
      foldOf[row] = position % folds;
    });
  }
  const out = new Array<number>(rows.length).fill(0);
  for (let fold = 0; fold < folds; fold++) {
    const train = rows.flatMap((_, i) => (foldOf[i] === fold ? [] : [i]));
    const model = fitLogistic(
      train.map((i) => rows[i]!),
      train.map((i) => labels[i]!),
      options,
    );
    rows.forEach((row, i) => {
      if (foldOf[i] === fold) out[i] = predictProbability(model, row);
    });
  }
  return out;
}
