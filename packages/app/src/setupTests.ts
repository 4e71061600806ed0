import '@testing-library/jest-dom';

// Full renders with charts take seconds on a loaded 2-core machine.
jest.setTimeout(30_000);
