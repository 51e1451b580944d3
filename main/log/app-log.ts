import pino from 'pino';
import { createStream } from 'rotating-file-stream';
import { redact } from '../security/redact';

/** What the app writes down about itself: what happened, never data that could be a key. */
export interface AppLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export const LOG_FILE = 'bitlocker-key-backup.log';

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}

/**
 * A rotating JSON-lines log in `dir` (the app's user-data folder in the app): about 1 MB a file, five
 * files kept, enough for a helpdesk session's story and never a growing disk hog. Every message and
 * field passes redaction, whatever a caller put in it.
 */
export function createAppLog(dir: string): AppLog {
  const stream = createStream(LOG_FILE, { path: dir, size: '1M', maxFiles: 5 });
  const logger = pino(
    {
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (fields) => redactDeep(fields) as Record<string, unknown> },
    },
    stream,
  );
  // Requests still in flight while the app shuts down may finish after the log closed: drop their lines
  // rather than throw from a stream that has ended.
  let closed = false;
  const write = (level: 'info' | 'warn' | 'error') => (message: string, fields: Record<string, unknown> = {}) => {
    if (!closed) logger[level](fields, redact(message));
  };
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    close: () => {
      closed = true;
      return new Promise((resolve) => {
        stream.end(() => resolve());
      });
    },
  };
}
