import { oneAtATime } from './oneAtATime';

describe('oneAtATime', () => {
  it('runs each call after the previous one ended, in call order', async () => {
    const events: string[] = [];
    const slow = async (name: string, ms: number) => {
      events.push(`start ${name}`);
      await new Promise(resolve => setTimeout(resolve, ms));
      events.push(`end ${name}`);
      return name;
    };
    const methods = oneAtATime({ a: slow, b: slow });
    const results = await Promise.all([
      methods.a('first', 20),
      methods.b('second', 1),
    ]);
    expect(results).toEqual(['first', 'second']);
    expect(events).toEqual([
      'start first',
      'end first',
      'start second',
      'end second',
    ]);
  });

  it('lets the event loop run before each call', async () => {
    const events: string[] = [];
    const methods = oneAtATime({
      read: async () => {
        events.push('read');
      },
    });
    const read = methods.read();
    setImmediate(() => events.push('request'));
    await read;
    expect(events).toEqual(['request', 'read']);
  });

  it('goes on after a failed call', async () => {
    const methods = oneAtATime({
      fail: async () => {
        throw new Error('no');
      },
      ok: async () => 'yes',
    });
    await expect(methods.fail()).rejects.toThrow('no');
    await expect(methods.ok()).resolves.toBe('yes');
  });
});
