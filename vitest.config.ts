import { defineConfig } from 'vitest/config';

const parts = '{contract,gateway,hub,dashboard-api,firmware-sim,scripts,web}';
/** Module tests beside the code that need or start an influxd: they run with the integration project. */
const needInfluxd = ['hub/storage/influx-v1.test.ts', 'hub/storage/readings-repository.test.ts', 'hub/storage/trends-repository.test.ts', 'scripts/lib/influxd.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration files start real servers; keep parallelism modest so timings stay sane.
    maxWorkers: 2,
    // `vitest run` runs both projects, each file once; `npm run test:unit` only the first.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Tests of one module beside its code: no influxd, no hub process (in-process PGlite and loopback sockets allowed).
          include: [`${parts}/**/*.test.ts`],
          exclude: needInfluxd,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', ...needInfluxd],
          // One real influxd for the whole run (or INFLUX_URL): each test file uses its own database.
          globalSetup: ['test/setup/influxd.global.ts', 'test/setup/web-build.global.ts'],
        },
      },
    ],
  },
});
