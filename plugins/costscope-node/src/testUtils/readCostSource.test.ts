import { CostLine, CostSource } from '../sources';
import { readCostSourceForTest } from './readCostSource';
import { decimalUnits, sumCostUnits } from './units';

const line = (billedCost: string) =>
  ({ billedCost, billingPeriod: '2026-11-01' } as CostLine);

describe('readCostSourceForTest', () => {
  it('collects what a batched source yields and reports, and the state it sets', async () => {
    const source: CostSource = {
      id: 'batched',
      read: () => {
        throw new Error('readBatches is preferred');
      },
      async *readBatches(context) {
        context.fileRead('a', { bytesScanned: 7 });
        context.fileSkipped('b', 'unchanged');
        context.apiCall('athena:StartQueryExecution', '0.1');
        context.apiCall('s3:ListObjectsV2');
        context.apiCall('athena:StartQueryExecution', '0.2');
        context.reject({ file: 'a', line: 2, reason: 'bad' });
        context.state.set({ seen: (await context.state.get())?.seen ?? 0 });
        yield [line('1.5'), line('2')];
        yield [line('-0.25')];
      },
    };
    const read = await readCostSourceForTest(source, { state: { seen: 3 } });
    expect(read.error).toBeUndefined();
    expect(read.lines.map(l => l.billedCost)).toEqual(['1.5', '2', '-0.25']);
    expect(read.inputs).toEqual([
      { name: 'a', status: 'read', bytes: 7 },
      { name: 'b', status: 'skipped: unchanged' },
    ]);
    expect(read.count('athena:StartQueryExecution')).toBe(2);
    expect(read.apiCalls[1]).toEqual(['s3:ListObjectsV2', undefined]);
    expect(read.rejections).toEqual([{ file: 'a', line: 2, reason: 'bad' }]);
    expect(read.newState).toEqual({ seen: 3 });
    expect(sumCostUnits(read.lines, l => l.billedCost)).toBe(
      decimalUnits('3.25'),
    );
  });

  it('reads line by line without readBatches, and keeps the error and the lines before it', async () => {
    const source: CostSource = {
      id: 'lines',
      async *read() {
        yield line('1');
        throw new Error('gone');
      },
    };
    const read = await readCostSourceForTest(source);
    expect(read.lines).toHaveLength(1);
    expect(read.error?.message).toBe('gone');
    expect(read.newState).toBeUndefined();
  });

  it('fails a read that declares days to replace', async () => {
    const source: CostSource = {
      id: 'days',
      async *read(context) {
        context.replaceDays({ from: '2026-11-01', to: '2026-11-02' });
        yield line('1');
      },
    };
    const read = await readCostSourceForTest(source);
    expect(read.error?.message).toBe(
      'days: expected to replace whole billing periods',
    );
    expect(read.lines).toEqual([]);
  });
});

describe('decimalUnits', () => {
  it('is exact at 18 digits and drops the digits past the scale', () => {
    expect(decimalUnits('0.000000000000000001')).toBe(1n);
    expect(decimalUnits('-12.5')).toBe(-12_500_000_000_000_000_000n);
    expect(decimalUnits('1.2345', 2)).toBe(123n);
    expect(decimalUnits('7', 0)).toBe(7n);
  });
});
