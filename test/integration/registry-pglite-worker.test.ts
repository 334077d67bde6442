/** The SQL and registry contract on PGlite in a worker thread (the hub's default; each test a clone of the migrated template). */
import { PgliteWorkerDb } from '../../hub/sql/pglite-worker-db.js';
import { pgliteTemplate } from '../support/sql-fixture.js';
import { registryContract, sqlDbContract } from './registry-contract.js';

const freshPgliteWorker = async () => PgliteWorkerDb.open({ loadDataDir: await pgliteTemplate() });

sqlDbContract('PGlite in a worker thread', freshPgliteWorker);
registryContract('PGlite in a worker thread', freshPgliteWorker);
