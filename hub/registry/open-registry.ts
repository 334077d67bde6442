/**
 * The registry a hub runs with, from configuration: the SQL database opened and migrated
 * (hub/sql/open-sql.ts), the SqlRegistry on it and, on PGlite, the admin socket through which
 * `rpm-hub admin` reaches it while the hub holds the data directory.
 */
import type { Logger } from 'pino';
import { openSqlDb, pglitePaths, type SqlConfig } from '../sql/open-sql.js';
import { serveAdminSocket, type AdminSocketServer } from './admin-socket.js';
import { SqlRegistry, type SqlRegistryOptions } from './sql-registry.js';

export interface OpenedRegistry {
  readonly registry: SqlRegistry;
  close(): Promise<void>;
}

export async function openRegistry(config: SqlConfig, log: Logger, options: SqlRegistryOptions = {}): Promise<OpenedRegistry> {
  const started = Date.now();
  const { db, migrations } = await openSqlDb(config, {
    died: (err, delayMs) => log.error({ err, restartInMs: delayMs }, 'embedded database thread died; registry and alert store unavailable until it is restarted'),
    restarted: (attempts) => log.warn({ attempts }, 'embedded database thread restarted; registry and alert store available again'),
    restartFailed: (err, delayMs) => log.error({ err, retryInMs: delayMs }, 'embedded database thread could not be restarted; trying again'),
  });
  log.info(
    { sql: config.backend, migrationsApplied: migrations.applied.map((m) => m.version), schemaVersion: migrations.current, ms: Date.now() - started },
    'registry database ready',
  );
  const registry = new SqlRegistry(db, options);
  let socket: AdminSocketServer | undefined;
  if (db.backend === 'pglite') {
    try {
      socket = await serveAdminSocket(pglitePaths(config.dataDir).adminSocket, registry, log);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return {
    registry,
    async close() {
      await socket?.close();
      await db.close();
    },
  };
}
