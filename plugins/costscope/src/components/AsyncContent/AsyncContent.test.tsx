import { Grid } from '@material-ui/core';
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { AsyncContent } from './AsyncContent';

const content = (value: string[]) => <p>Items: {value.join(', ')}</p>;

describe('AsyncContent', () => {
  it('shows a spinner while loading, even over a previous value', async () => {
    await renderInTestApp(
      <AsyncContent state={{ loading: true, value: ['a'] }}>
        {content}
      </AsyncContent>,
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(screen.queryByText('Items: a')).not.toBeInTheDocument();
  });

  it('keeps the previous value on a reload when asked to', async () => {
    await renderInTestApp(
      <AsyncContent
        state={{ loading: true, value: ['a'] }}
        keepValueWhileLoading
      >
        {content}
      </AsyncContent>,
    );
    expect(screen.getByText('Items: a')).toBeInTheDocument();
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
  });

  it('shows a spinner on the first load when keeping values', async () => {
    await renderInTestApp(
      <AsyncContent<string[]> state={{ loading: true }} keepValueWhileLoading>
        {content}
      </AsyncContent>,
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error with its title, or its own message without one', async () => {
    const error = new Error('Network down');
    const { rerender } = await renderInTestApp(
      <AsyncContent<string[]>
        state={{ loading: false, error }}
        errorTitle="Could not load items"
      >
        {content}
      </AsyncContent>,
    );
    expect(screen.getByText(/Could not load items/)).toBeInTheDocument();
    rerender(
      <AsyncContent<string[]> state={{ loading: false, error }}>
        {content}
      </AsyncContent>,
    );
    expect(screen.getAllByText(/Network down/).length).toBeGreaterThan(0);
    expect(screen.queryByText(/Items:/)).not.toBeInTheDocument();
  });

  it("says a 404's message plainly instead of reporting an error", async () => {
    const error = Object.assign(new Error('Request failed with 404'), {
      statusCode: 404,
      body: {
        error: {
          message:
            'entity component:default/x is not known to Costscope (not in the catalog, not yet allocated, or not visible to you)',
        },
      },
    });
    await renderInTestApp(
      <AsyncContent<string[]> state={{ loading: false, error }}>
        {items => <>{items.join()}</>}
      </AsyncContent>,
    );
    expect(screen.getByTestId('costscope-not-found')).toHaveTextContent(
      /or not visible to you\)$/,
    );
  });

  it('frames the spinner and the error, not the content', async () => {
    const frame = (status: JSX.Element) => (
      <Grid item data-testid="frame">
        {status}
      </Grid>
    );
    const { rerender } = await renderInTestApp(
      <AsyncContent<string[]> state={{ loading: true }} frame={frame}>
        {content}
      </AsyncContent>,
    );
    expect(screen.getByTestId('frame')).toContainElement(
      screen.getByTestId('progress'),
    );
    rerender(
      <AsyncContent state={{ loading: false, value: ['a'] }} frame={frame}>
        {content}
      </AsyncContent>,
    );
    expect(screen.getByText('Items: a')).toBeInTheDocument();
    expect(screen.queryByTestId('frame')).not.toBeInTheDocument();
  });

  it('shows the empty state for an empty list or what isEmpty says', async () => {
    const { rerender } = await renderInTestApp(
      <AsyncContent state={{ loading: false, value: [] }} empty="Nothing yet.">
        {content}
      </AsyncContent>,
    );
    expect(screen.getByText('Nothing yet.')).toBeInTheDocument();
    rerender(
      <AsyncContent
        state={{ loading: false, value: ['-'] }}
        empty="Nothing yet."
        isEmpty={value => value[0] === '-'}
      >
        {content}
      </AsyncContent>,
    );
    expect(screen.getByText('Nothing yet.')).toBeInTheDocument();
    // Without an empty state, an empty list goes to the content.
    rerender(
      <AsyncContent state={{ loading: false, value: [] }}>
        {content}
      </AsyncContent>,
    );
    expect(screen.getByText('Items:')).toBeInTheDocument();
  });

  it('renders nothing when the load ended without a value', async () => {
    await renderInTestApp(
      <div data-testid="host">
        <AsyncContent<string[]> state={{ loading: false }}>
          {content}
        </AsyncContent>
      </div>,
    );
    expect(screen.getByTestId('host')).toBeEmptyDOMElement();
  });
});
