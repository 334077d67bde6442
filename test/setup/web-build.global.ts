/**
 * Vitest global set-up: builds the web application (web/dist, as `npm run build` does) once per run,
 * so the page tests exercise the bundle the hub really serves, built from the sources under test.
 */
import { resolve } from 'node:path';
import { build } from 'vite';

export async function setup(): Promise<void> {
  await build({ configFile: resolve(import.meta.dirname, '../../web/vite.config.ts'), logLevel: 'warn' });
}
