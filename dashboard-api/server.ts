/** Starts the API on a port. app.ts builds it; tests use app.inject() without a port. */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import type { ApiServices } from './services.js';

export interface RunningApi {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

export async function startApiServer(services: ApiServices, options: { host: string; port: number; logger?: Logger | false }): Promise<RunningApi> {
  const app = await buildApp(services, { logger: options.logger ?? false });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
