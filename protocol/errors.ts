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

export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
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
