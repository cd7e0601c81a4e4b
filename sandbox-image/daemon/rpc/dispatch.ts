import type { ErrorInfo } from '../../../protocol/errors';
import { describeIssues } from '../../../protocol/errors';
import { daemonMethods, isDaemonMethod, isStreamOnly } from '../../../protocol/daemon/methods';
import { log } from '../log';
import { DaemonError, toErrorInfo } from './daemon-error';
import type { CallContext, HandlerMap } from './handler';

export type Outcome = { result: unknown } | { error: ErrorInfo };

type LooseHandler = (params: unknown, ctx: CallContext) => unknown;

/** Validates params, runs the handler, validates its result. Never throws. */
export async function dispatch(handlers: HandlerMap, name: string, params: unknown, ctx: CallContext): Promise<Outcome> {
  if (!isDaemonMethod(name)) return { error: { code: 'not_found', message: `unknown method: ${name.slice(0, 100)}` } };
  if (isStreamOnly(name) && !ctx.stream) {
    return { error: { code: 'bad_request', message: `${name} is only available on the stream WebSocket` } };
  }
  const def = daemonMethods[name];
  const parsed = def.params.safeParse(params ?? {});
  if (!parsed.success) return { error: { code: 'validation_failed', message: describeIssues(parsed.error) } };
  try {
    const handler = handlers[name] as LooseHandler;
    const result = await handler(parsed.data, ctx);
    const checked = def.result.safeParse(result);
    if (!checked.success) {
      log.error(`result of ${name} does not match its schema`, describeIssues(checked.error));
      throw new DaemonError('internal', 'internal error');
    }
    return { result: checked.data };
  } catch (error) {
    return { error: toErrorInfo(error) };
  }
}
