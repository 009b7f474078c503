import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` needs only Node (`npm run test:unit`); `tools` is every other tier,
 * which starts the emulator, Terraform, PostgreSQL or other tools, so its global setup
 * checks them first. `npm test` runs both.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // End-to-end files start their own emulator, Terraform or PostgreSQL; two cores.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'tools',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**'],
          globalSetup: ['test/setup/global-setup.ts'],
        },
      },
    ],
  },
});
