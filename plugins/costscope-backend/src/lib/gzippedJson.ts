import { promisify } from 'node:util';
import { gunzipSync, gzip as gzipCallback } from 'node:zlib';

const gzipAsync = promisify(gzipCallback);

/**
 * JSON text kept gzipped (a summary or report computed at rebuild time). Backstage compresses
 * every response for browsers anyway; kept compressed, a team's half-megabyte summary is read
 * and sent as a tenth of that, without being decoded, encoded or compressed per request.
 */
export class GzippedJson {
  constructor(readonly gzip: Buffer) {}

  /** Compresses off the event loop (zlib's thread pool). */
  static async of(text: string): Promise<GzippedJson> {
    return new GzippedJson(await gzipAsync(text));
  }

  text(): string {
    return gunzipSync(this.gzip).toString('utf8');
  }
}

/** An answer already serialised: JSON text, or kept gzipped. */
export type JsonAnswer = string | GzippedJson;

/** The answer as JSON text, for readers inside the backend (digests). */
export function jsonTextOf(answer: JsonAnswer): string {
  return answer instanceof GzippedJson ? answer.text() : answer;
}
