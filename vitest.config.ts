import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'engine/src/**/*.test.ts',
            'plugins/*/src/**/*.test.ts',
            'editor/src/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/editor/**', '**/node_modules/**'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file gets its own database; two at a time suit a 2-core machine. Unit tests run
          // first, on their own.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          // The editor in real Chromium against a real engine; one browser at a time, after the rest.
          name: 'browser',
          include: ['tests/editor/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts', 'tests/support/editor-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
