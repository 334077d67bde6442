/**
 * The operations listener: /metrics (Prometheus), /healthz (the process is up) and /readyz (the hub
 * acknowledges publishes; 503 otherwise, with the details in the JSON body either way). A separate
 * small HTTP server, on loopback by default (METRICS_HOST, METRICS_PORT=9464, the port registered for
 * Prometheus exporters), so operational data never shares the clinicians' API port or its auth.
 */
import { createServer } from 'node:http';
import type { Logger } from '../log.js';
import type { ReadinessReport } from '../health/readiness.js';

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: { text(): Promise<string>; readonly contentType: string };
  readonly readiness: () => Promise<ReadinessReport>;
  readonly log: Logger;
}

export interface RunningOpsServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startOpsServer(options: OpsServerOptions): Promise<RunningOpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'text/plain; charset=utf-8', 'only GET\n');
      return;
    }
    const answer = async (): Promise<void> => {
      if (path === '/metrics') send(200, options.metrics.contentType, await options.metrics.text());
      else if (path === '/healthz') send(200, 'application/json', JSON.stringify({ status: 'ok' }));
      else if (path === '/readyz') {
        const report = await options.readiness();
        send(report.ready ? 200 : 503, 'application/json', JSON.stringify(report));
      } else send(404, 'text/plain; charset=utf-8', 'not found: try /metrics, /healthz or /readyz\n');
    };
    answer().catch((err: Error) => {
      options.log.error({ err, path }, 'ops endpoint failed');
      if (!res.headersSent) send(500, 'text/plain; charset=utf-8', 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  options.log.info({ host: options.host, port }, 'ops endpoints listening (/metrics, /healthz, /readyz)');
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
