export { type FailedJob, listFailedJobs, type RetryOutcome, retryFailedJob, retryFailedJobs } from "./dead-letter.server";
export {
  claimJobs,
  DEFAULT_JOB_TIMEOUT_MS,
  enqueueJob,
  FINISH_JOB_SQL,
  JOB_FINISHED,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type JobHandlers,
  JobLostError,
  JobTimeoutError,
  releaseStaleJobs,
  retryDelayMs,
  runJobsOnce,
  type StaleSweep,
  startJobWorker,
} from "./queue.server";
