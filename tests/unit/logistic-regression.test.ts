import { describe, expect, it } from "vitest";
import { mulberry32 } from "~/lib/random";
import {
  aucLowerBound,
  brierScore,
  contributions,
  crossValidatedProbabilities,
  fitLogistic,
  predictProbability,
  rocAuc,
} from "~/modules/predictions/logistic-regression";

/** Rows of [wait hours, sentiment, noise] whose label follows a known logistic law: waiting lowers, tone raises. */
function synthetic(count: number, seed = 7) {
  const next = mulberry32(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const wait = next() * 6;
    const sentiment = next() * 2 - 1;
    const noise = next();
    const logit = 1 - 0.9 * wait + 2 * sentiment + 1.5;
    rows.push([wait, sentiment, noise]);
    labels.push(next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
  }
  return { rows, labels };
}

describe("logistic regression", () => {
  it("recovers the signs of a known law, and the noise feature stays small", () => {
    const { rows, labels } = synthetic(800);
    const model = fitLogistic(rows, labels);
    expect(model.weights[0]).toBeLessThan(-0.5);
    expect(model.weights[1]).toBeGreaterThan(0.5);
    expect(Math.abs(model.weights[2]!)).toBeLessThan(0.25);
    // A long wait with a negative tone is predicted worse than no wait and a positive tone.
    expect(predictProbability(model, [5, -0.8, 0.5])).toBeLessThan(0.2);
    expect(predictProbability(model, [0.2, 0.8, 0.5])).toBeGreaterThan(0.8);
  });

  it("is deterministic: the same rows give the same weights", () => {
    const { rows, labels } = synthetic(300, 11);
    expect(fitLogistic(rows, labels)).toEqual(fitLogistic(rows, labels));
    expect(crossValidatedProbabilities(rows, labels, 5, { seed: 2 })).toEqual(crossValidatedProbabilities(rows, labels, 5, { seed: 2 }));
    // Another seed deals other folds.
    expect(crossValidatedProbabilities(rows, labels, 5, { seed: 3 })).not.toEqual(crossValidatedProbabilities(rows, labels, 5, { seed: 2 }));
  });

  it("gives a constant feature weight 0 and no contribution, without dividing by zero", () => {
    const { rows, labels } = synthetic(300, 3);
    const withConstant = rows.map((row) => [...row, 4]);
    const model = fitLogistic(withConstant, labels);
    expect(model.stds[3]).toBe(1);
    expect(model.weights[3]).toBeCloseTo(0, 10);
    expect(contributions(model, [1, 0, 0.5, 4])[3]).toBeCloseTo(0, 10);
    expect(model.weights.every(Number.isFinite)).toBe(true);
  });

  it("stays finite on perfectly separable data (the L2 penalty bounds the weights)", () => {
    const rows = Array.from({ length: 60 }, (_, i) => [i]);
    const labels = rows.map(([x]) => (x! >= 30 ? 1 : 0));
    const model = fitLogistic(rows, labels);
    expect(Number.isFinite(model.weights[0])).toBe(true);
    expect(predictProbability(model, [59])).toBeGreaterThan(0.9);
    expect(predictProbability(model, [0])).toBeLessThan(0.1);
  });

  it("contributions are weight × standardised value and add up to the log-odds", () => {
    const { rows, labels } = synthetic(400, 5);
    const model = fitLogistic(rows, labels);
    const row = [3, -0.5, 0.2];
    const parts = contributions(model, row);
    for (const [j, part] of parts.entries()) expect(part).toBeCloseTo(model.weights[j]! * ((row[j]! - model.means[j]!) / model.stds[j]!), 12);
    const p = predictProbability(model, row);
    expect(Math.log(p / (1 - p))).toBeCloseTo(model.intercept + parts.reduce((a, b) => a + b, 0), 9);
  });
});

describe("held-out quality", () => {
  it("AUC: 1 for a perfect ranking, 0.5 for ties, 0 reversed, null with one class", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    // One positive ranked below one of two negatives: 1 of 2 pairs right.
    expect(rocAuc([0.3, 0.6, 0.5], [0, 0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNull();
  });

  it("the AUC's lower bound is below the AUC and tightens with more examples", () => {
    const small = aucLowerBound(0.6, 10, 10);
    const large = aucLowerBound(0.6, 1000, 1000);
    expect(small).toBeLessThan(0.5);
    expect(large).toBeGreaterThan(0.5);
    expect(large).toBeLessThan(0.6);
  });

  it("Brier: 0 when sure and right, the base-rate variance when guessing the average", () => {
    expect(brierScore([1, 0], [1, 0])).toBe(0);
    expect(brierScore([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0.25 * 0.75, 12);
  });

  it("cross-validated probabilities rank a learnable law well and pure noise near chance", () => {
    const { rows, labels } = synthetic(600, 21);
    expect(rocAuc(crossValidatedProbabilities(rows, labels, 5), labels)!).toBeGreaterThan(0.8);
    const next = mulberry32(99);
    const noiseRows = rows.map(() => [next(), next()]);
    const noiseLabels = rows.map(() => (next() < 0.5 ? 1 : 0));
    const auc = rocAuc(crossValidatedProbabilities(noiseRows, noiseLabels, 5), noiseLabels)!;
    expect(aucLowerBound(auc, noiseLabels.filter((l) => l === 1).length, noiseLabels.filter((l) => l === 0).length)).toBeLessThan(0.5);
  });
});
