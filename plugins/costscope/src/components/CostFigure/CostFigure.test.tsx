import { render, screen } from '@testing-library/react';
import { CostFigure } from './CostFigure';

describe('CostFigure', () => {
  it('carries the raw amount for machines and the label for people', () => {
    render(
      <CostFigure
        label="Total"
        value="$1.00"
        detail="30 days"
        testId="fig"
        amount="1.000000000"
      />,
    );
    expect(screen.getByText('Total')).toBeInTheDocument();
    expect(screen.getByTestId('fig')).toHaveTextContent('$1.00');
    expect(screen.getByTestId('fig')).toHaveAttribute(
      'data-amount',
      '1.000000000',
    );
    expect(screen.getByText('30 days')).toBeInTheDocument();
  });
});
