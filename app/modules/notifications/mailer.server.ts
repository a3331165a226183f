import { createTransport } from "nodemailer";
import { getEnv } from "~/env.server";

/**
 * Outgoing e-mail. With SMTP_URL set, messages go through nodemailer's SMTP transport; without it each message
 * is reduced to one log line naming its notification key (no addresses, no content) and counts as "logged".
 */

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Display name for the From header (the address is always SMTP_FROM's). */
  fromName?: string;
  replyTo?: string;
  /** The notification's key, for the log line. */
  tag: string;
}

export interface Mailer {
  readonly kind: "smtp" | "log";
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailerConfig {
  SMTP_URL?: string;
  SMTP_FROM?: string;
}

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** `Name <a@b>` or `a@b` → its parts (env.server.ts validated the shape). */
function parseSender(value: string): { name: string; address: string } {
  const match = /^(.*?)\s*<([^<>]+)>$/.exec(value.trim());
  return match ? { name: match[1]!.replace(/^"|"$/g, ""), address: match[2]! } : { name: "", address: value.trim() };
}

/** Removes the SMTP URL's user and password from an error message before it is stored or logged. */
export function redactSmtpSecrets(message: string, smtpUrl: string | undefined): string {
  if (!smtpUrl || !URL.canParse(smtpUrl)) return message;
  const url = new URL(smtpUrl);
  let result = message.split(smtpUrl).join("[SMTP_URL]");
  for (const secret of [url.password, decodeURIComponent(url.password), url.username, decodeURIComponent(url.username)]) {
    if (secret.length >= 3) result = result.split(secret).join("[redacted]");
  }
  return result;
}

export function createMailer(config: MailerConfig, log: (line: string) => void = console.info): Mailer {
  if (!config.SMTP_URL) {
    return {
      kind: "log",
      async send(mail) {
        log(`[notifications] SMTP_URL is not set: ${mail.tag} recorded as logged, not e-mailed`);
      },
      close() {},
    };
  }
  if (!config.SMTP_FROM) throw new Error("SMTP_FROM is required when SMTP_URL is set");
  const smtpUrl = config.SMTP_URL;
  const sender = parseSender(config.SMTP_FROM);
  const transport = createTransport({ url: smtpUrl, ...TIMEOUTS });
  return {
    kind: "smtp",
    async send(mail) {
      try {
        await transport.sendMail({
          from: { name: mail.fromName ?? sender.name, address: sender.address },
          to: mail.to,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          subject: mail.subject,
          text: mail.text,
        });
      } catch (error) {
        throw new Error(redactSmtpSecrets(error instanceof Error ? error.message : String(error), smtpUrl));
      }
    },
    close() {
      transport.close();
    },
  };
}

let cached: Mailer | undefined;

/** The process's mailer, from SMTP_URL and SMTP_FROM. */
export function mailerFromEnv(): Mailer {
  cached ??= createMailer(getEnv());
  return cached;
}
