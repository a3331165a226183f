export {
  claimJobs,
  enqueueJob,
  FINISH_JOB_SQL,
  JOB_FINISHED,
  type JobHandler,
  type JobHandlers,
  releaseStaleJobs,
  retryDelayMs,
  runJobsOnce,
  startJobWorker,
} from "./queue.server";
