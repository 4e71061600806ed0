import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App';

describe('App', () => {
  const originalFetch = global.fetch;
  const originalConfirm = window.confirm;

  beforeEach(() => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };
    // No backend in unit tests: every request fails, as it would offline.
    global.fetch = jest.fn(async () => {
      throw new TypeError('fetch failed (no backend in tests)');
    }) as typeof fetch;
    // Without an auth backend, guest sign-in asks to fall back to the legacy guest token.
    window.confirm = jest.fn(() => true);
    localStorage.clear();
  });

  afterEach(() => {
    global.fetch = originalFetch;
    window.confirm = originalConfirm;
  });

  it('offers guest sign-in', async () => {
    render(<App />);
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Guest')).toBeInTheDocument();
  });

  it('leads a guest from the catalog to the Costscope page', async () => {
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Enter' }));

    const link = await screen.findByRole('link', { name: 'Costscope' });
    expect(link).toHaveAttribute('href', '/costscope');
    // Only installed plugins are in the sidebar.
    expect(
      screen.queryByRole('link', { name: 'Docs' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'APIs' }),
    ).not.toBeInTheDocument();

    await userEvent.click(link);
    expect(
      await screen.findByText('Cloud cost across the organisation'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(global.fetch).toHaveBeenCalledWith(
        expect.stringMatching(
          /^http:\/\/localhost:7007\/api\/costscope\/v1\/overview\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&costBasis=effective$/,
        ),
        expect.anything(),
      ),
    );
  }, 20000);
});
