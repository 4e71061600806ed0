import { SerialQueue } from './SerialQueue';

/**
 * The same methods, each call run after the previous one ended and after the event loop had
 * a turn: on SQLite, whose one connection runs statements in this thread, reads issued
 * together only queue ahead of whatever requests arrive meanwhile.
 */
export function oneAtATime<T extends object>(methods: T): T {
  const queue = new SerialQueue();
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(methods)) {
    wrapped[name] =
      typeof method === 'function'
        ? (...args: unknown[]) =>
            queue.run(async () => {
              await new Promise(resolve => setImmediate(resolve));
              return method(...args);
            })
        : method;
  }
  return wrapped as T;
}
