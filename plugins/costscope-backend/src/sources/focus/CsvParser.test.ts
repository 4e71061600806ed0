import { CsvParser } from './CsvParser';

type Item =
  | { line: number; fields: string[] }
  | { line: number; error: string };

/** Parses `text` fed in the given chunk sizes (all at once by default). */
function parseAll(
  text: string,
  options: { chunks?: number[]; maxRecordChars?: number } = {},
): Item[] {
  const items: Item[] = [];
  const parser = new CsvParser(options.maxRecordChars ?? 1024, {
    record: (fields, count, line) =>
      items.push({ line, fields: fields.slice(0, count) as string[] }),
    error: (error, line) => items.push({ line, error }),
  });
  let at = 0;
  for (const size of options.chunks ?? []) {
    parser.push(text.slice(at, at + size));
    at += size;
  }
  parser.push(text.slice(at));
  parser.end();
  return items;
}

describe('CsvParser', () => {
  it.each<[string, string, Item[]]>([
    [
      'plain rows',
      'a,b\n1,2\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
      ],
    ],
    [
      'no newline at the end',
      'a,b\n1,2',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
      ],
    ],
    [
      'a byte-order mark',
      '\uFEFFa,b\n1,2\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
      ],
    ],
    [
      'CRLF line ends',
      'a,b\r\n1,2\r\n"3","4"\r\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
        { line: 3, fields: ['3', '4'] },
      ],
    ],
    [
      'CR-only line ends',
      'a,b\r1,2\r3,4',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
        { line: 3, fields: ['3', '4'] },
      ],
    ],
    [
      'empty lines, skipped but counted',
      'a,b\n\n1,2\r\n\r\n3,4\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 3, fields: ['1', '2'] },
        { line: 5, fields: ['3', '4'] },
      ],
    ],
    [
      'quoted fields with commas, doubled quotes and newlines',
      'a,b\n"x,y","say ""hi"""\n"two\nlines","CR\r\nLF"\nlast,"" \n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x,y', 'say "hi"'] },
        { line: 3, fields: ['two\nlines', 'CR\r\nLF'] },
        // `""` followed by a space: text after a closing quote.
        { line: 6, error: 'unexpected text after a closing quote' },
      ],
    ],
    [
      'a quote inside an unquoted field is literal',
      'a,b\n5" disk,x\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['5" disk', 'x'] },
      ],
    ],
    [
      'text after a closing quote: that line is dropped, the next is read',
      'a,b\n"x"y,1\n2,3\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, error: 'unexpected text after a closing quote' },
        { line: 3, fields: ['2', '3'] },
      ],
    ],
    [
      'a stray quote that closes on a later line: only its first line is lost',
      'a,b\n"x,\n"y,1\n2,3\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, error: 'unexpected text after a closing quote' },
        { line: 3, error: 'quoted field not closed at the end of the input' },
        { line: 4, fields: ['2', '3'] },
      ],
    ],
    [
      'an unclosed quote at the end: only its first line is lost',
      'a,b\n1,"open\n2,3\n4,5\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, error: 'quoted field not closed at the end of the input' },
        { line: 3, fields: ['2', '3'] },
        { line: 4, fields: ['4', '5'] },
      ],
    ],
    [
      'a file cut inside a quoted field',
      'a,b\n1,"{""service"":""ap',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, error: 'quoted field not closed at the end of the input' },
      ],
    ],
    [
      'empty fields and trailing commas',
      'a,b,c\n,,\n1,,\n',
      [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['', '', ''] },
        { line: 3, fields: ['1', '', ''] },
      ],
    ],
    ['nothing at all', '', []],
    ['only a byte-order mark', '\uFEFF', []],
  ])('reads %s', (_name, text, expected) => {
    expect(parseAll(text)).toEqual(expected);
  });

  it('gives the same result however the input is cut into chunks', () => {
    const text =
      '\uFEFFa,b,c\r\n"x,""y""\r\nz",2,3\r\n\r\n4,"5",6\r\n7,8,"9\n"\r\n"bad"x,1,2\r\n10,11,12';
    const whole = parseAll(text);
    expect(whole).toHaveLength(6);
    for (let size = 1; size <= text.length; size += 1) {
      const chunks = Array.from(
        { length: Math.ceil(text.length / size) },
        () => size,
      );
      expect(parseAll(text, { chunks })).toEqual(whole);
    }
    for (let cut = 0; cut <= text.length; cut += 1) {
      expect(parseAll(text, { chunks: [cut] })).toEqual(whole);
    }
  });

  it('rejects a record longer than the limit and goes on with the next line', () => {
    const long = 'x'.repeat(5000);
    expect(
      parseAll(`a,b\n${long},1\n2,3\n"${long}\n4,5\n`, {
        maxRecordChars: 1024,
        chunks: [100, 100, 100],
      }),
    ).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'record longer than 1 KiB (an unclosed quote?)' },
      { line: 3, fields: ['2', '3'] },
      { line: 4, error: 'record longer than 1 KiB (an unclosed quote?)' },
      { line: 5, fields: ['4', '5'] },
    ]);
  });

  it('never buffers more than the limit of a line without an end', () => {
    const errors: number[] = [];
    const parser = new CsvParser(1024, {
      record: () => {},
      error: (_reason, line) => errors.push(line),
    });
    parser.push('a,b\n');
    for (let i = 0; i < 200; i += 1) parser.push('z'.repeat(1000));
    parser.push('\n1,2\n');
    parser.end();
    expect(errors).toEqual([2]);
    expect((parser as unknown as { pending: string }).pending).toBe('');
  });

  it('hands over only the selected fields', () => {
    const items: Array<Array<string | undefined>> = [];
    const parser = new CsvParser(1024, {
      record: (fields, count) => items.push(fields.slice(0, count)),
      error: () => {},
    });
    parser.selectFields([true, false, true]);
    parser.push('1,2,3\n"4","5","6"\n');
    parser.end();
    expect(items).toEqual([
      ['1', undefined, '3'],
      ['4', undefined, '6'],
    ]);
  });

  it('locates each new value in the text it was parsed from, and only new ones', () => {
    const seen: Array<Array<string | number>> = [];
    const parser: CsvParser = new CsvParser(1024, {
      record: (_fields, count) => {
        const located = [];
        for (let i = 0; i < count; i += 1) {
          const start = parser.startOf(i);
          located.push(
            start < 0 ? -1 : parser.text.slice(start, parser.endOf(i)),
          );
        }
        seen.push(located);
      },
      error: () => {},
    });
    // Repeated values, a quoted one, an escaped one (not a slice of the text), and a
    // broken row: what it read counts as the previous values.
    parser.push('a,"b c",x\na,"b c",y\n"a""q",b c,y\n');
    parser.push('a,"b"z,y\na,b c,y\n');
    parser.end();
    expect(seen).toEqual([
      ['a', 'b c', 'x'],
      [-1, -1, 'y'],
      [-1, -1, -1],
      [-1, 'b c', -1],
    ]);
  });
});
