import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { lightTheme } from '@backstage/theme';
import { CostChange } from './CostChange';
import { formatMoney } from '../../utils/format';

describe('CostChange', () => {
  it('shows an increase with a plus sign in the error colour', async () => {
    await renderInTestApp(
      <CostChange change="50.000000000" changeRatio={0.5} currency="USD" />,
    );
    const change = screen.getByTestId('costscope-change');
    expect(change).toHaveAttribute('data-direction', 'increase');
    expect(change).toHaveTextContent(
      `${formatMoney('50', 'USD', { signed: true })} (+50%)`,
    );
    expect(change).toHaveTextContent(/increase/);
    expect(change).toHaveStyle({ color: lightTheme.palette.error.main });
  });

  it('shows a decrease in the success colour', async () => {
    await renderInTestApp(
      <CostChange
        change="-25.000000000"
        changeRatio={-0.25}
        currency="USD"
        showAmount={false}
      />,
    );
    const change = screen.getByTestId('costscope-change');
    expect(change).toHaveAttribute('data-direction', 'decrease');
    expect(change).toHaveTextContent('-25%');
    expect(change).not.toHaveTextContent('$');
    expect(change).toHaveStyle({ color: lightTheme.palette.success.main });
  });

  it('shows no change, and no percentage when the previous total was zero', async () => {
    await renderInTestApp(
      <CostChange change="0.000000000" changeRatio={null} currency="USD" />,
    );
    const change = screen.getByTestId('costscope-change');
    expect(change).toHaveAttribute('data-direction', 'none');
    expect(change).toHaveTextContent('No change');
  });

  it('marks a cost with nothing before it as new, with its amount', async () => {
    await renderInTestApp(
      <CostChange change="10.000000000" changeRatio={null} currency="USD" />,
    );
    expect(screen.getByTestId('costscope-change')).toHaveTextContent(
      `${formatMoney('10', 'USD', { signed: true })} (new)`,
    );
  });

  it('shows the amount of a new cost even where only the ratio was asked for', async () => {
    await renderInTestApp(
      <CostChange
        change="10.000000000"
        changeRatio={null}
        currency="USD"
        showAmount={false}
      />,
    );
    const change = screen.getByTestId('costscope-change');
    expect(change).toHaveTextContent(
      `${formatMoney('10', 'USD', { signed: true })} (new)`,
    );
    expect(change).not.toHaveTextContent('–');
  });
});
