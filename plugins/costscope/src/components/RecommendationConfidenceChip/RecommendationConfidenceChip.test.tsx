import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { RecommendationConfidenceChip } from './RecommendationConfidenceChip';

describe('RecommendationConfidenceChip', () => {
  it.each([
    ['high', 'High confidence'],
    ['medium', 'Medium confidence'],
    ['low', 'Low confidence'],
  ] as const)('labels %s confidence as "%s"', async (confidence, label) => {
    await renderInTestApp(
      <RecommendationConfidenceChip confidence={confidence} />,
    );
    expect(
      screen.getByText(label).closest('[data-confidence]'),
    ).toHaveAttribute('data-confidence', confidence);
  });
});
