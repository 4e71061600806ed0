import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { BudgetState } from '@costscope/backstage-plugin-common';
import { BudgetStateChip } from './BudgetStateChip';

describe('BudgetStateChip', () => {
  it('names every state, in a colour of its own', async () => {
    const states: BudgetState[] = ['ok', 'warning', 'forecast-over', 'over'];
    await renderInTestApp(
      <>
        {states.map(state => (
          <BudgetStateChip key={state} state={state} />
        ))}
      </>,
    );
    const labels = [
      'On track',
      'Warning',
      'Forecast over budget',
      'Over budget',
    ];
    const chips = labels.map(label =>
      screen.getByText(label).closest('[data-state]'),
    );
    expect(chips.map(chip => chip?.getAttribute('data-state'))).toEqual(states);
    const colours = chips.map(
      chip => (chip as HTMLElement).style.backgroundColor,
    );
    expect(new Set(colours).size).toBe(4);
  });
});
