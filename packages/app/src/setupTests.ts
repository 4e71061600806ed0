import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Full renders with charts take seconds on a loaded 2-core machine, and lazily loaded pages
// more than findBy*'s default second.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5_000 });
