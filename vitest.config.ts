import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Hang detectors only, never a speed check: generous enough for a 2-core machine running a
    // second test suite beside this one (speed is `npm run bench`'s business).
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
