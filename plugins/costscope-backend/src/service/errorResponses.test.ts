import request from 'supertest';
import { as, MEMBER, startApiBackend } from '../__testUtils__/apiBackend';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

/**
 * Error bodies carry no stack trace in production: the plugin's errors go through
 * Backstage's error middleware, which adds the stack only when NODE_ENV is `development`.
 */
describe('error responses', () => {
  const databases = createTestDatabases();
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = saved;
  });

  it.each(
    databases
      .eachSupportedId()
      .flatMap(([id]) => [
        [id, 'production', false] as const,
        [id, 'development', true] as const,
      ]),
  )('on %p with NODE_ENV=%s, stack trace: %s', async (id, env, withStack) => {
    // The middleware reads NODE_ENV when the backend starts.
    process.env.NODE_ENV = env;
    const knex = await databases.init(id);
    const backend = await startApiBackend(knex);
    try {
      const res = await request(backend.server)
        .get('/api/costscope/v1/entities/component/default/nowhere/summary')
        .set('Authorization', as(MEMBER));
      expect(res.status).toBe(404);
      expect(res.body.error.name).toBe('NotFoundError');
      expect('stack' in res.body.error).toBe(withStack);
      expect(JSON.stringify(res.body).includes('    at ')).toBe(withStack);
    } finally {
      await backend.stop();
    }
  });
});
