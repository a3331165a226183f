import { LogSeverity } from "@shopify/shopify-app-remix/server";
import type { Env } from "~/env.server";
import { redactSecrets } from "~/lib/server/redact-secrets";

const LEVELS: Record<Env["LOG_LEVEL"], LogSeverity> = {
  debug: LogSeverity.Debug,
  info: LogSeverity.Info,
  warn: LogSeverity.Warning,
  error: LogSeverity.Error,
  silent: LogSeverity.Error,
};

/**
 * Shopify's library logger at LOG_LEVEL, every line redacted first: at debug level the library logs the raw
 * session token ("Attempting to authenticate session token") and redirect URLs carrying id_token.
 */
export function shopifyLogger(level: Env["LOG_LEVEL"], write: (severity: LogSeverity, line: string) => void = writeToConsole) {
  return {
    level: LEVELS[level],
    log: (severity: LogSeverity, message: string) => {
      if (level !== "silent") write(severity, redactSecrets(message));
    },
  };
}

function writeToConsole(severity: LogSeverity, line: string) {
  if (severity === LogSeverity.Error) console.error(line);
  else if (severity === LogSeverity.Warning) console.warn(line);
  else console.log(line);
}
