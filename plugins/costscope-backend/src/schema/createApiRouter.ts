import { RequestHandler } from 'express';
import { createOpenApiRouter } from './openapi';

/**
 * Stands in for the validator's default body parser: the router's own guards parse bodies
 * after it, with the 16 kB limit, 413 and 415 (an error raised before the validator would be
 * turned into a 400 by backend-openapi-utils).
 */
const bodiesParsedLater: RequestHandler = (_req, _res, next) => next();

/** Whether a path's percent-encoding can be decoded (the route parsers answer when not). */
function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Express router the API's routes are added to: the one generated from openapi.yaml,
 * served by @backstage/backend-openapi-utils (which also answers GET /openapi.json).
 *
 * The validator does not check requests against the spec: the route parsers answer each
 * malformed input with a message naming the field and the rule, and check what the spec cannot
 * say (a real calendar day, at most 1,200 days); tests check every response against the spec.
 * Authentication is Backstage's (httpRouter), so the validator leaves security alone.
 */
export function createApiRouter() {
  return createOpenApiRouter({
    middleware: [bodiesParsedLater],
    validatorOptions: {
      validateRequests: false,
      validateSecurity: false,
      ignorePaths: (path: string) => !decodable(path),
    },
  });
}
