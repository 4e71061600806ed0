import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { useLocation } from 'react-router-dom';
import { useCostBasis } from './useCostBasis';

function Probe() {
  const { costBasis, setCostBasis } = useCostBasis();
  const location = useLocation();
  return (
    <>
      <span data-testid="basis">{costBasis}</span>
      <span data-testid="search">{location.search}</span>
      <button onClick={() => setCostBasis('billed')}>billed</button>
    </>
  );
}

function renderProbe(config: object, path = '/') {
  return renderInTestApp(
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data: config })]]}>
      <Probe />
    </TestApiProvider>,
    { routeEntries: [path] },
  );
}

describe('useCostBasis', () => {
  it('is effective unless configured', async () => {
    await renderProbe({});
    expect(screen.getByTestId('basis')).toHaveTextContent('effective');
  });

  it('follows costscope.costBasis', async () => {
    await renderProbe({ costscope: { costBasis: 'billed' } });
    expect(screen.getByTestId('basis')).toHaveTextContent('billed');
  });

  it('takes the URL over the configuration', async () => {
    await renderProbe(
      { costscope: { costBasis: 'billed' } },
      '/?costBasis=effective',
    );
    expect(screen.getByTestId('basis')).toHaveTextContent('effective');
  });

  it('ignores a basis it does not know', async () => {
    await renderProbe({}, '/?costBasis=amortised');
    expect(screen.getByTestId('basis')).toHaveTextContent('effective');
  });

  it('keeps the chosen basis in the URL, next to the other parameters', async () => {
    await renderProbe({}, '/?tab=overview');
    await userEvent.click(screen.getByRole('button', { name: 'billed' }));
    expect(screen.getByTestId('basis')).toHaveTextContent('billed');
    expect(screen.getByTestId('search')).toHaveTextContent(
      '?tab=overview&costBasis=billed',
    );
  });
});
