// Vitest configuration for the end-to-end suite (test/e2e/**/*.e2e.test.ts):
// real VS Code (code-server) in headless Chromium, one file at a time, with
// timeouts long enough for a workbench start. Prepare once with
// scripts/setup-e2e.sh; pass the extension under test as MESHLENS_VSIX.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    testTimeout: 90_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    retry: 0,
  },
});
