/** Starts the API on a port, over TLS when a certificate is configured. app.ts builds it; tests use app.inject() without a port. */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.js';
import type { ApiServices } from './services.js';

export interface RunningApi {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

export interface ApiServerOptions extends AppOptions {
  readonly host: string;
  readonly port: number;
}

export async function startApiServer(services: ApiServices, options: ApiServerOptions): Promise<RunningApi> {
  const app = await buildApp(services, { ...options, logger: options.logger ?? false });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return { app, url: `${options.https ? 'https' : 'http'}://${host}:${port}`, close: () => app.close() };
}
