export {
  claimJobs,
  enqueueJob,
  type JobHandler,
  type JobHandlers,
  releaseStaleJobs,
  retryDelayMs,
  runJobsOnce,
  startJobWorker,
} from "./queue.server";
