/** The alert store, outbox and config contract on embedded PGlite (each test a clone of the migrated template). */
import { freshPglite } from '../support/sql-fixture.js';
import { alertStoreContract } from './alert-store-contract.js';

alertStoreContract('PGlite', freshPglite);
