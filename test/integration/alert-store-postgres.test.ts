/** The alert store, outbox and config contract on a real PostgreSQL server (DATABASE_URL, or a private one). */
import { afterAll, beforeAll } from 'vitest';
import { startPostgresForTests, type PostgresForTests } from '../support/postgres-fixture.js';
import { alertStoreContract } from './alert-store-contract.js';

let server: PostgresForTests;
beforeAll(async () => {
  server = await startPostgresForTests();
});
afterAll(async () => {
  await server?.close();
});

alertStoreContract('PostgreSQL', () => server.freshDb());
