import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/** `pretty`: coloured lines for a person at a terminal; `json`: one JSON object a line, for machines. */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** `auto` is pretty on a TTY and JSON otherwise (a pipe, a file, a log collector). */
export function resolveLogFormat(format: LogFormat, isTty: boolean): 'pretty' | 'json' {
  return format === 'auto' ? (isTty ? 'pretty' : 'json') : format;
}

/** Human output: level, time and message on one line; multi-line messages (the host-runtime box) kept as they are. */
function prettyStream(destination: NodeJS.WritableStream, colorize: boolean): DestinationStream {
  return PinoPretty({
    destination,
    colorize,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    singleLine: false,
    sync: true,
  });
}

/** Structured logs (JSON or pretty). Secrets are redacted by path wherever they could appear. */
export function createLogger(level: string, destination?: NodeJS.WritableStream, format: LogFormat = 'json'): Logger {
  const out = destination ?? process.stdout;
  const tty = (out as { isTTY?: boolean }).isTTY === true;
  const stream = resolveLogFormat(format, tty) === 'pretty' ? prettyStream(out, tty) : out;
  return pino(
    {
      level,
      base: { service: 'slipway' },
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken', 'accessToken', '*.accessToken',
          'apiKey', '*.apiKey', 'value', '*.value', 'req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}

/** A logger that drops everything: for tests that do not look at logs. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
