import { mockServices } from '@backstage/backend-test-utils';
import { IngestRun } from '@costscope/backstage-plugin-common';
import { CostSource, InventorySource } from '@costscope/backstage-plugin-node';
import { newRunRecord } from '../ingest/runRecord';
import { CostPipeline, CostPipelineOptions, MODULE_SOURCE_SCHEDULE } from './CostPipeline';

// The pipeline on mocked engines: which step follows which. The engines themselves are
// tested on both databases beside them, and the wired chain in plugin.test.ts.

const hourly = {
  frequency: { hours: 1 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 1 },
};

function runOf(
  source: { id: string },
  outcome: Partial<IngestRun> = {},
): IngestRun {
  return {
    ...newRunRecord(source.id, 'cost', 'manual', Date.now()),
    status: 'succeeded',
    ...outcome,
  };
}

function setUp() {
  const steps: string[] = [];
  const step =
    <T>(name: string, result: T) =>
    async (..._args: unknown[]) => {
      steps.push(name);
      return result;
    };
  const logger = mockServices.logger.mock();
  const options = {
    logger,
    ingest: { run: jest.fn(async (source: CostSource) => runOf(source)) },
    inventory: {
      run: jest.fn(async (source: InventorySource) =>
        runOf(source, { kind: 'inventory' }),
      ),
    },
    allocation: {
      run: jest.fn(step('allocate', { recomputed: true })),
    },
    alerts: { evaluate: jest.fn(step('alerts', [])) },
    recommendations: { refresh: jest.fn(step('recommendations', {})) },
    runs: { listRuns: jest.fn(async () => []) },
    allocationSchedule: hourly,
  };
  const pipeline = new CostPipeline(options as unknown as CostPipelineOptions);
  return { pipeline, options, steps, logger };
}

const costSource = (id: string): CostSource => ({
  id,
  async *read() {},
});
const inventorySource = (id: string): InventorySource => ({
  id,
  async *read() {},
});

describe('CostPipeline', () => {
  it('allocates a run that wrote facts, then evaluates alerts, then recommendations', async () => {
    const { pipeline, options, steps } = setUp();
    options.ingest.run.mockImplementationOnce(async source =>
      runOf(source, { billingPeriods: ['2026-03'] }),
    );
    pipeline.addCostSource(costSource('focus'), hourly);
    await pipeline.run('focus');
    expect(options.allocation.run).toHaveBeenCalledWith({ force: true });
    expect(steps).toEqual(['allocate', 'alerts', 'recommendations']);
  });

  it('runs nothing after a run that wrote no facts', async () => {
    const { pipeline, steps } = setUp();
    pipeline.addCostSource(costSource('focus'), hourly);
    await pipeline.run('focus');
    expect(steps).toEqual([]);
  });

  it('counts replaced days as written facts', async () => {
    const { pipeline, options, steps } = setUp();
    options.ingest.run.mockImplementationOnce(async source =>
      runOf(source, { daysReplaced: { from: '2026-03-01', to: '2026-03-08' } }),
    );
    pipeline.addCostSource(costSource('api'), hourly);
    await pipeline.run('api');
    expect(steps).toEqual(['allocate', 'alerts', 'recommendations']);
  });

  it('fails the run when allocation fails, and only logs failing alerts and recommendations', async () => {
    const { pipeline, options, logger } = setUp();
    options.ingest.run.mockImplementation(async source =>
      runOf(source, { billingPeriods: ['2026-03'] }),
    );
    pipeline.addCostSource(costSource('focus'), hourly);
    options.alerts.evaluate.mockRejectedValueOnce(new Error('mail down'));
    options.recommendations.refresh.mockRejectedValueOnce(
      new Error('prices missing'),
    );
    await expect(pipeline.run('focus')).resolves.toMatchObject({
      status: 'succeeded',
    });
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(/alert evaluation failed: Error: mail down/),
    );
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /could not compute recommendations: Error: prices missing/,
      ),
    );
    options.allocation.run.mockRejectedValueOnce(new Error('catalog down'));
    await expect(pipeline.run('focus')).rejects.toThrow('catalog down');
  });

  it('refreshes recommendations after a stored inventory snapshot only', async () => {
    const { pipeline, options, steps } = setUp();
    pipeline.addInventorySource(inventorySource('ec2'), hourly);
    await pipeline.run('ec2');
    expect(steps).toEqual(['recommendations']);
    options.inventory.run.mockImplementationOnce(async source =>
      runOf(source, { kind: 'inventory', status: 'failed' }),
    );
    await pipeline.run('ec2');
    expect(steps).toEqual(['recommendations']);
  });

  it('serialises the runs of one kind with the steps that follow them', async () => {
    const { pipeline, options } = setUp();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    options.ingest.run.mockImplementation(async source => {
      order.push(`start ${source.id}`);
      return runOf(source, { billingPeriods: ['2026-03'] });
    });
    options.allocation.run.mockImplementationOnce(async () => {
      await held;
      order.push('allocated');
      return { recomputed: true };
    });
    pipeline.addCostSource(costSource('a'), hourly);
    pipeline.addCostSource(costSource('b'), hourly);
    const first = pipeline.run('a');
    const second = pipeline.run('b');
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(order).toEqual(['start a']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['start a', 'allocated', 'start b']);
  });

  it('schedules every source and the allocation check, which follows only a recomputation', async () => {
    const { pipeline, options, steps } = setUp();
    pipeline.addCostSource(costSource('focus'), hourly);
    pipeline.addInventorySource({
      ...inventorySource('ec2'),
      schedule: { ...hourly, frequency: { hours: 3 } },
    });
    pipeline.addCostSource(costSource('module'));
    const scheduler = mockServices.scheduler.mock();
    await pipeline.start(scheduler);
    const tasks = scheduler.scheduleTask.mock.calls.map(([task]) => task);
    expect(tasks.map(task => [task.id, task.frequency])).toEqual([
      ['costscope-ingest-focus', { hours: 1 }],
      ['costscope-ingest-ec2', { hours: 3 }],
      ['costscope-ingest-module', MODULE_SOURCE_SCHEDULE.frequency],
      ['costscope-allocation', { hours: 1 }],
    ]);
    await tasks[0].fn(new AbortController().signal);
    expect(options.ingest.run).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'focus' }),
      'schedule',
    );

    const check = tasks[3].fn;
    options.allocation.run.mockResolvedValueOnce({ recomputed: false });
    await check(new AbortController().signal);
    expect(options.allocation.run).toHaveBeenLastCalledWith();
    expect(steps).toEqual([]);
    await check(new AbortController().signal);
    expect(steps).toEqual(['allocate', 'alerts', 'recommendations']);
  });

  it('refuses a source id used twice and names the sources', () => {
    const { pipeline } = setUp();
    pipeline.addCostSource(costSource('focus'), hourly);
    pipeline.addInventorySource(inventorySource('ec2'), hourly);
    expect(() =>
      pipeline.addInventorySource(inventorySource('focus'), hourly),
    ).toThrow("Costscope source id 'focus' is used twice");
    expect(pipeline.sourceIds()).toEqual(['focus', 'ec2']);
  });

  it("evaluates a saved budget's alerts and logs their failure", async () => {
    const { pipeline, options, logger } = setUp();
    await pipeline.afterBudgetSet('component:default/api');
    expect(options.alerts.evaluate).toHaveBeenCalledWith({
      entityRefs: ['component:default/api'],
    });
    options.alerts.evaluate.mockRejectedValueOnce(new Error('no spend'));
    await pipeline.afterBudgetSet('component:default/api');
    expect(logger.warn).toHaveBeenCalledWith(
      'Costscope could not evaluate alerts of component:default/api: Error: no spend',
    );
  });
});
