import type { ResponseError } from '@backstage/errors';

/**
 * The message to show for a failed request: the server's own (a `ResponseError`'s message
 * is only "Request failed with 400 Bad Request"; the reason is in its body).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const body = (error as Partial<ResponseError>).body;
    return body?.error?.message || error.message;
  }
  return String(error);
}
