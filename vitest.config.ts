import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,gateway,hub,dashboard-api,firmware-sim,test,scripts}/**/*.test.ts'],
    // One real influxd for the whole run (or INFLUX_URL): each test file uses its own database.
    globalSetup: ['test/setup/influxd.global.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration files start real servers; keep parallelism modest so timings stay sane.
    maxWorkers: 2,
  },
});
