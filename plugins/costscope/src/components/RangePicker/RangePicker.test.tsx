import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RangePicker } from './RangePicker';

describe('RangePicker', () => {
  it('offers the four ranges and reports the chosen one', async () => {
    const onChange = jest.fn();
    render(
      <RangePicker
        value="last30"
        onChange={onChange}
        range={{ from: '2024-04-15', to: '2024-05-14' }}
      />,
    );
    expect(
      screen.getAllByRole('button').map(button => button.textContent),
    ).toEqual([
      'Month to date',
      'Last 30 days',
      'Last 90 days',
      'Last 12 months',
    ]);
    expect(
      screen.getByRole('button', { name: 'Last 30 days' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      screen.getByText('2024-04-15 – 2024-05-14 (UTC)'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Last 12 months' }),
    );
    expect(onChange).toHaveBeenCalledWith('last12m');
  });

  it('keeps the selection when the selected button is clicked again', async () => {
    const onChange = jest.fn();
    render(<RangePicker value="mtd" onChange={onChange} />);
    await userEvent.click(
      screen.getByRole('button', { name: 'Month to date' }),
    );
    expect(onChange).not.toHaveBeenCalled();
  });
});
