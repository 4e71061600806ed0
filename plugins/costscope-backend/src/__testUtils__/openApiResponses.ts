import express from 'express';
import request from 'supertest';
import { createOpenApiRouter } from '../schema/openapi';

/** A response as a test received it. */
export interface ReceivedResponse {
  status: number;
  /** The parsed JSON body; checked against the spec when the response was JSON. */
  body: unknown;
  /** The response's content type. */
  type: string;
}

/**
 * Checks real responses against src/schema/openapi.yaml with the validator of
 * @backstage/backend-openapi-utils (express-openapi-validator): a router generated from the
 * spec replays each response, and the validator checks it on its way out. Answers undefined
 * when the response matches its operation's schema for that status, else what is wrong.
 */
export async function createResponseChecker() {
  let replay: ReceivedResponse = { status: 500, body: undefined, type: '' };
  const router = await createOpenApiRouter({
    validatorOptions: {
      validateRequests: false,
      validateSecurity: false,
      validateResponses: true,
    },
  });
  router.use((req, res) => {
    const operation = (req as { openapi?: { schema: any } }).openapi?.schema;
    if (!operation) {
      res
        .status(599)
        .json({ problem: `${req.method} ${req.path} not in the spec` });
    } else if (!operation.responses?.[String(replay.status)]) {
      res
        .status(599)
        .json({ problem: `status ${replay.status} not in the spec` });
    } else if (/^application\/json/.test(replay.type)) {
      res.status(replay.status).json(replay.body);
    } else {
      res
        .status(replay.status)
        .type(replay.type || 'text/plain')
        .end();
    }
  });
  const app = express();
  app.use(router);
  app.use(
    (
      error: Error,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      res.status(599).json({ problem: error.message });
    },
  );

  return async (
    method: 'get' | 'put' | 'post' | 'delete',
    url: string,
    response: ReceivedResponse,
  ): Promise<string | undefined> => {
    replay = response;
    const replayed = await request(app)[method](url);
    return replayed.status === 599 ? replayed.body.problem : undefined;
  };
}
