/** The alert store, outbox and config contract on PGlite in a worker thread (the hub's default; each test a clone of the migrated template). */
import { PgliteWorkerDb } from '../../hub/sql/pglite-worker-db.js';
import { pgliteTemplate } from '../support/sql-fixture.js';
import { alertStoreContract } from './alert-store-contract.js';

alertStoreContract('PGlite in a worker thread', async () => PgliteWorkerDb.open({ loadDataDir: await pgliteTemplate() }));
