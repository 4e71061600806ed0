import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  ComplianceFigures,
  ScopeNotes,
  TagPolicyDetails,
  hasNoPolicy,
} from './ComplianceSummary';
import { noTagPolicy, tagPolicy } from '../../__testUtils__/complianceFixtures';

describe('ComplianceSummary', () => {
  it('knows when there is no policy', () => {
    expect(hasNoPolicy(noTagPolicy)).toBe(true);
    expect(hasNoPolicy(tagPolicy)).toBe(false);
  });

  it('shows a dash when a share is unknown', async () => {
    await renderInTestApp(
      <ComplianceFigures
        currency="EUR"
        totals={{
          resources: { total: 0, compliant: 0 },
          cost: { total: '0', compliant: '0' },
          compliantShareByCount: null,
          compliantShareByCost: null,
        }}
      />,
    );
    expect(
      screen.getByTestId('costscope-compliance-by-count'),
    ).toHaveTextContent('–');
    expect(screen.getByTestId('costscope-compliance-count')).toHaveTextContent(
      '0 of 0 resources',
    );
    expect(screen.getByTestId('costscope-compliance-cost')).toHaveTextContent(
      '€0.00 of €0.00',
    );
  });

  it('says when keys ignore case and the policy applies to everything', async () => {
    await renderInTestApp(
      <TagPolicyDetails
        policy={{ keyCaseInsensitive: true, rules: [tagPolicy.rules[0]] }}
      />,
    );
    expect(
      screen.getByRole('button', { name: /Tag policy: 1 required tag$/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Keys are compared ignoring letter case\. Applies to every resource with cost\./,
      ),
    ).toBeInTheDocument();
  });

  it('shows nothing to note when every resource is in scope and readable', async () => {
    await renderInTestApp(
      <ScopeNotes
        outOfScope={{ resources: 0, cost: '0' }}
        rejectedTags={0}
        currency="USD"
      />,
    );
    expect(
      screen.queryByTestId('costscope-compliance-scope-notes'),
    ).not.toBeInTheDocument();
  });
});
