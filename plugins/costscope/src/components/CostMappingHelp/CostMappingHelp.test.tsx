import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { CostMappingHelp, mappingSnippet } from './CostMappingHelp';
import { componentEntity, systemEntity } from '../../__testUtils__/fixtures';

describe('CostMappingHelp', () => {
  it('builds a catalog-info snippet with the cost-tags annotation', () => {
    expect(mappingSnippet(componentEntity)).toContain(
      'costscope.io/cost-tags: service=checkout-api',
    );
    expect(mappingSnippet(componentEntity)).toContain('kind: Component');
  });

  it('explains the annotation and the zero-config convention', async () => {
    await renderInTestApp(<CostMappingHelp entity={componentEntity} />);
    expect(
      screen.getByText('No cloud cost is mapped to checkout-api'),
    ).toBeInTheDocument();
    // The convention names the tag; the snippet shows the annotation.
    expect(screen.getAllByText('service=checkout-api').length).toBeGreaterThan(
      0,
    );
    expect(document.body).toHaveTextContent(
      'costscope.io/cost-tags: service=checkout-api',
    );
    expect(screen.getByText(/Zero-config convention/)).toBeInTheDocument();
  });

  it('tells systems that their components roll up', async () => {
    await renderInTestApp(<CostMappingHelp entity={systemEntity} />);
    expect(
      screen.getByText(/A system gets the cost of the entities below it/),
    ).toBeInTheDocument();
  });
});
