import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// recharts' ResponsiveContainer measures its parent, which has no size in jsdom: give the
// chart a fixed size instead.
jest.mock('recharts', () => {
  const actual = jest.requireActual('recharts');
  const { cloneElement } = jest.requireActual('react');
  return {
    ...actual,
    ResponsiveContainer: ({ children }: { children: any }) =>
      cloneElement(children, { width: 800, height: 320 }),
  };
});

// Full renders with charts take seconds on a loaded 2-core machine, and lazily loaded pages
// more than findBy*'s default second.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5_000 });
