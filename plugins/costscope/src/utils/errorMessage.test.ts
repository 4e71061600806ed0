import { ResponseError } from '@backstage/errors';
import { errorMessage } from './errorMessage';

async function responseError(body: unknown): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status: 403,
      statusText: 'Forbidden',
      headers: { 'content-type': 'application/json' },
    }),
  );
}

describe('errorMessage', () => {
  it("takes the server's message out of a ResponseError's body", async () => {
    const error = await responseError({
      error: { name: 'NotAllowedError', message: 'Only owners may edit.' },
      request: { method: 'PUT', url: '/budget' },
      response: { statusCode: 403 },
    });
    expect(error.message).toContain('403');
    expect(errorMessage(error)).toBe('Only owners may edit.');
  });

  it("falls back to the error's own message", () => {
    expect(errorMessage(new Error('Network down'))).toBe('Network down');
    // A body without the Backstage error shape has no message to take.
    const error = Object.assign(new Error('Request failed with 502'), {
      body: {},
    });
    expect(errorMessage(error)).toBe('Request failed with 502');
  });

  it('turns anything else into text', () => {
    expect(errorMessage('timeout')).toBe('timeout');
    expect(errorMessage(42)).toBe('42');
  });
});
