/** The SQL and registry contract on embedded PGlite (each test a clone of the migrated template). */
import { freshPglite } from '../support/sql-fixture.js';
import { registryContract, sqlDbContract } from './registry-contract.js';

sqlDbContract('PGlite', freshPglite);
registryContract('PGlite', freshPglite);
