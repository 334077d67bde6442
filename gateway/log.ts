import { pino, type Logger } from 'pino';

/**
 * The gateway's logger. Readings never go to the log (values are patient data); secrets are
 * redacted in case a config object is logged by mistake. Pretty printing is left to `pino-pretty`
 * in a terminal: on a box, JSON lines go to journald.
 */
export function createGatewayLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { part: 'gateway' },
    redact: { paths: ['secret', 'password', '*.secret', '*.password', 'reading', 'readings', '*.readings'], censor: '[redacted]' },
  });
}

export type { Logger };
