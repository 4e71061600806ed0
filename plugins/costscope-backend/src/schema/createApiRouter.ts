import { RequestHandler } from 'express';
import { createOpenApiRouter } from './openapi';

/**
 * Stands in for the validator's default body parser: the router's own guards parse bodies
 * after it, with the 16 kB limit, 413 and 415 (an error raised before the validator would be
 * turned into a 400 by backend-openapi-utils).
 */
const bodiesParsedLater: RequestHandler = (_req, _res, next) => next();

/**
 * The Express router the API's routes are added to: the one generated from openapi.yaml,
 * served by @backstage/backend-openapi-utils (which also answers GET /openapi.json).
 *
 * Nothing is validated against the spec at run time, so the validator is told to ignore every
 * path: the route parsers answer each malformed input with a message naming the field and the
 * rule, and check what the spec cannot say (a real calendar day, at most 1,200 days); tests
 * check every registered route and every response against the spec. Ignoring the paths matters
 * for speed: the validator's route lookup compiles each spec path's pattern on every request,
 * which cost a cached summary about 6 ms at p50 under load (bench/README.md, bench:api).
 * Authentication is Backstage's (httpRouter), so the validator leaves security alone.
 */
export function createApiRouter() {
  return createOpenApiRouter({
    middleware: [bodiesParsedLater],
    validatorOptions: {
      validateRequests: false,
      validateSecurity: false,
      ignorePaths: () => true,
    },
  });
}
