import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // GitHub's workflow parser imports its JSON schemas without import attributes; let Vite load them.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
