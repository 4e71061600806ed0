import { render, screen } from '@testing-library/react';
import { buildChartData, CostChart } from './CostChart';
import { seriesFor } from '../../__testUtils__/fixtures';

const range = { from: '2024-05-01', to: '2024-05-02' };

describe('CostChart', () => {
  it('keeps the top 8 keys and sums the rest exactly into Other', () => {
    const series = seriesFor('component:default/a', range);
    series.points[0].values.Service9 = '0.100000000';
    series.points[0].values.Service10 = '0.200000000';
    const { keys, rows } = buildChartData(series);
    expect(keys.map(k => k.name)).toEqual([
      'Service1',
      'Service2',
      'Service3',
      'Service4',
      'Service5',
      'Service6',
      'Service7',
      'Service8',
      'Other',
    ]);
    expect(rows[0].k0).toBe(10);
    expect(rows[0].__other__).toBe(0.3);
    expect(rows[1].__other__).toBe(3);
  });

  it('has no Other with few keys, and zero for missing values', () => {
    const series = {
      ...seriesFor('component:default/a', range),
      keys: ['A', 'B'],
      points: [{ date: '2024-05-01', total: '1', values: { A: '1' } }],
    };
    const { keys, rows } = buildChartData(series);
    expect(keys.map(k => k.name)).toEqual(['A', 'B']);
    expect(rows[0]).toEqual({ date: '2024-05-01', k0: 1, k1: 0 });
  });

  it('renders an accessible stacked bar chart', () => {
    render(<CostChart series={seriesFor('component:default/a', range)} />);
    const chart = screen.getByRole('img', {
      name: /^Daily cost from 2024-05-01 to 2024-05-02, stacked by service: Service1,/,
    });
    expect(chart.querySelectorAll('.recharts-bar').length).toBe(9);
  });

  it('says so when there are no points', () => {
    render(
      <CostChart
        series={{ ...seriesFor('component:default/a', range), points: [] }}
      />,
    );
    expect(
      screen.getByText('No daily cost in this range.'),
    ).toBeInTheDocument();
  });
});
