import { formatConditions, parseCostTags } from './parseCostTags';

describe('parseCostTags', () => {
  it('parses and/or syntax', () => {
    expect(
      parseCostTags('service=checkout-api,env=prod; app=checkout'),
    ).toEqual([
      [
        { key: 'service', value: 'checkout-api' },
        { key: 'env', value: 'prod' },
      ],
      [{ key: 'app', value: 'checkout' }],
    ]);
  });

  it('trims whitespace and ignores empty alternatives', () => {
    expect(parseCostTags('  app = web ;; ')).toEqual([
      [{ key: 'app', value: 'web' }],
    ]);
  });

  it('keeps = inside values', () => {
    expect(parseCostTags('query=a=b')).toEqual([
      [{ key: 'query', value: 'a=b' }],
    ]);
  });

  it.each([
    ['', 'the annotation is empty'],
    ['service', "'service' is not a key=value condition"],
    ['service=', "'service=' is not a key=value condition"],
    ['=x', "'=x' is not a key=value condition"],
    ['a=b,,c=d', "'' is not a key=value condition"],
  ])('rejects %p', (text, message) => {
    expect(() => parseCostTags(text)).toThrow(message);
  });

  it('formats conditions back', () => {
    expect(formatConditions(parseCostTags('a=1,b=2')[0])).toBe('a=1,b=2');
  });
});
