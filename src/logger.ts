/**
 * Structured JSON logs (pino). Redaction is a safety net: code never logs a provider key or file contents, and
 * any header or field that could carry a secret is censored anyway.
 */
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** Whether a level is logged, so hot paths can skip building what would be dropped. */
  enabled(level: 'info' | 'warn' | 'error'): boolean;
}

const redact = {
  paths: ['apiKey', '*.apiKey', 'headers["x-hume-api-key"]', '*.headers["x-hume-api-key"]', 'headers.authorization', '*.headers.authorization', 'secret', '*.secret'],
  censor: '[redacted]',
};

function wrap(base: PinoLogger): Logger {
  return {
    info: (message, fields) => base.info(fields ?? {}, message),
    warn: (message, fields) => base.warn(fields ?? {}, message),
    error: (message, fields) => base.error(fields ?? {}, message),
    child: (fields) => wrap(base.child(fields)),
    enabled: (level) => base.isLevelEnabled(level),
  };
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const base = pino(
    { level: options.level ?? process.env.LOG_LEVEL ?? 'info', redact, base: { service: 'emotion-gateway' }, timestamp: pino.stdTimeFunctions.isoTime },
    options.destination,
  );
  return wrap(base);
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, child: () => silentLogger, enabled: () => false };
