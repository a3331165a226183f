export {
  enqueueEscalationNotice,
  enqueueMentionNotices,
  enqueueStaffReplyEmail,
  NOTIFY_ESCALATION_JOB,
  NOTIFY_MENTION_JOB,
  type NotificationDeps,
  notificationJobs,
  STAFF_REPLY_EMAIL_DELAY_MS,
  STAFF_REPLY_EMAIL_JOB,
} from "./jobs.server";
export { createMailer, type Mailer } from "./mailer.server";
