/**
 * Predictions, explainable: each shop's own CSAT model (will an open conversation be rated 4–5?) and churn model
 * (will a customer who has ordered place no order in the next 60 days?), small logistic regressions trained on the
 * shop's history, stored with their held-out quality, and shown with the top factors behind each prediction. A shop
 * with too little history, or a model no better than chance, gets the reason instead of a score.
 */
export type { FactorView, ModelSummary } from "./explain.server";
export {
  PREDICTIONS_REFRESH_JOB,
  PREDICTIONS_TICK_JOB,
  predictionJobs,
  queuePredictionRefresh,
  schedulePredictionsTick,
} from "./jobs.server";
export { type ConversationPredictions, getConversationPredictions, getPredictionsOverview, type PredictionsOverview } from "./read.server";
export { refreshPredictions } from "./training.server";
