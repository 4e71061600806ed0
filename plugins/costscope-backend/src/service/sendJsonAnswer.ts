import express from 'express';
import { GzippedJson, JsonAnswer } from '../lib/gzippedJson';

/**
 * Sends an answer already serialised (a kept or cached one) without parsing it again. A kept
 * gzipped answer goes as it is to clients that accept gzip (every browser; Backstage's own
 * compression leaves an encoded response alone) and is inflated for the others.
 */
export function sendJsonAnswer(
  req: express.Request,
  res: express.Response,
  answer: JsonAnswer,
): void {
  res.type('application/json');
  if (!(answer instanceof GzippedJson)) {
    res.send(answer);
    return;
  }
  res.vary('Accept-Encoding');
  if (req.acceptsEncodings('gzip') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(answer.gzip);
  } else {
    res.send(answer.text());
  }
}
