import { z } from 'zod';

/** Every error any Slipway boundary returns has one of these codes. */
export const ErrorCode = z.enum([
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unsupported_protocol',
  'internal',
  'unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * Exactly what went wrong, for programs to act on: set where the failure happens (the daemon's
 * errno, the server's own check, the model provider's answer) and carried unchanged to every client.
 * `code` says how a boundary answers (its HTTP status); `reason`, when there is one, says why.
 */
export const ErrorReason = z.enum([
  // Files in the sandbox (the daemon, from the errno).
  'not_found',
  'already_exists',
  'not_empty',
  'not_a_directory',
  'is_a_directory',
  'permission_denied',
  'read_only',
  'symlink_loop',
  'name_too_long',
  'invalid_argument',
  'cross_device',
  'copy_into_itself',
  'no_space',
  'quota',
  'too_many_open_files',
  'too_many_processes',
  'cut_off',
  // The project's sandbox.
  'sandbox_not_running',
  'sandbox_restarting',
  'sandbox_unavailable',
  'sandbox_failed',
  // A chat turn and its model provider (these are also the codes of a chat's `error` event).
  'no_model',
  'step_limit',
  'cancelled',
  'shutting_down',
  'auth_failed',
  'model_not_found',
  /** The team model a chat chose was removed (or never was the team's). */
  'model_removed',
  'context_too_long',
  'rate_limited',
  'unavailable',
  'interrupted',
  'invalid_request',
  'aborted',
  'endpoint_not_allowed',
  // Git in the sandbox (protocol/daemon/git.ts).
  'not_a_repository',
  'nothing_to_commit',
  'git_auth_failed',
  'git_repository_not_found',
  'git_host_unreachable',
  'git_rejected',
  // The server's database (down, restarting or unreachable).
  'database_unavailable',
  // The server's own bookkeeping.
  'lease_lost',
  'tool_failed',
]);
export type ErrorReason = z.infer<typeof ErrorReason>;

export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  reason: ErrorReason.optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** The body of every non-2xx HTTP response. */
export const ErrorBody = z.object({ error: ErrorInfo });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The HTTP status that goes with each code, so every boundary agrees. */
export const errorStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unsupported_protocol: 426,
  internal: 500,
  unavailable: 503,
};

/** Renders a zod error as one readable line: `name: Too small; email: Invalid email`. */
export function describeIssues(error: z.ZodError, limit = 5): string {
  const parts = error.issues.slice(0, limit).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(root)';
    return `${where}: ${issue.message}`;
  });
  if (error.issues.length > limit) parts.push(`…and ${error.issues.length - limit} more`);
  return parts.join('; ');
}
