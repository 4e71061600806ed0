// Checks every request passes before its route: what the OpenAPI spec cannot express.
import express from 'express';
import { CustomErrorBase, InputError } from '@backstage/errors';

/** Largest JSON body accepted. */
export const MAX_BODY = '16kb';

/**
 * Largest body of `POST /v1/metrics`: room for 5,000 day-values (the highest
 * costscope.unitCost.maxDaysPerRequest) of about 50 bytes each.
 */
export const MAX_METRICS_BODY = '256kb';

/** 415 for a request body that is not JSON (every body the API takes is JSON). */
class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

/** Refuses PUT and POST bodies that are not JSON; an empty body is left to the route. */
export const requireJsonBody: express.RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (
    (req.method === 'PUT' || req.method === 'POST') &&
    hasBody &&
    !req.is('application/json')
  ) {
    const type = String(req.headers['content-type'] ?? 'none').slice(0, 100);
    next(
      new UnsupportedMediaTypeError(
        `the request body must be JSON (content-type application/json), not ${type}`,
      ),
    );
    return;
  }
  next();
};

/** Whether a parsed query or body holds U+0000 in any key or string (iterative: bodies nest). */
function containsNul(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/**
 * Refuses U+0000 anywhere in a request: no valid input holds it, and PostgreSQL text columns
 * cannot store or even compare it (the query would fail with a 500).
 */
export const refuseNul: express.RequestHandler = (req, _res, next) => {
  if (
    /%00/i.test(req.originalUrl) ||
    containsNul(req.query) ||
    containsNul(req.body)
  ) {
    next(
      new InputError(
        'the request contains a NUL character (U+0000), which no Costscope input allows',
      ),
    );
    return;
  }
  next();
};
