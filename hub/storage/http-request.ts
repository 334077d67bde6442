/**
 * One HTTP request over node:http(s) with a keep-alive agent: the InfluxDB client's transport.
 *
 * Why not fetch: on the ingest path every batch is one request, and undici's fetch costs a WHATWG
 * Request/Response, web streams and a copy of the body per request — about a tenth of the hub's CPU
 * in a profile of the ingest benchmark. node:http with a pooled connection sends a Buffer as it is.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpResponse {
  readonly status: number;
  header(name: string): string | undefined;
  /** The whole body as text (read once). */
  text(): Promise<string>;
}

export interface HttpRequestInit {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly timeoutMs: number;
}

export interface HttpTransport {
  request(url: URL, init: HttpRequestInit): Promise<HttpResponse>;
  /** Closes the idle pooled connections. */
  close(): void;
}

/** Thrown for failures before a response arrived; `code` is the socket error code or 'timeout'. */
export class HttpTransportError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'HttpTransportError';
  }
}

export function keepAliveTransport(maxSockets = 8): HttpTransport {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets, scheduling: 'lifo' }),
    https: new HttpsAgent({ keepAlive: true, maxSockets, scheduling: 'lifo' }),
  };
  return {
    request(url, init) {
      const https = url.protocol === 'https:';
      const send = https ? httpsRequest : httpRequest;
      const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
      return new Promise<HttpResponse>((resolve, reject) => {
        let settled = false;
        let timedOut = false;
        const fail = (code: string) => {
          if (settled) return;
          settled = true;
          reject(new HttpTransportError(code));
        };
        const req = send(url, {
          method: init.method,
          agent: https ? agents.https : agents.http,
          headers: { ...init.headers, ...(body && { 'content-length': String(body.length) }) },
        });
        // One deadline for the whole exchange, as AbortSignal.timeout gave fetch.
        const timer = setTimeout(() => {
          timedOut = true;
          fail('timeout');
          req.destroy();
        }, init.timeoutMs);
        req.on('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          fail(err.code ?? err.name);
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          const done = new Promise<string>((resolveBody, rejectBody) => {
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              clearTimeout(timer);
              resolveBody(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
            });
            // Cut off mid-body (the deadline, or the server went away): not a whole answer.
            res.on('error', (err: NodeJS.ErrnoException) => {
              clearTimeout(timer);
              rejectBody(new HttpTransportError(timedOut ? 'timeout' : (err.code ?? err.name)));
            });
            res.on('close', () => {
              clearTimeout(timer);
              if (!res.complete) rejectBody(new HttpTransportError(timedOut ? 'timeout' : 'aborted'));
            });
          });
          // The body is always read, so the connection goes back to the pool.
          done.catch(() => undefined);
          settled = true;
          resolve({ status: res.statusCode ?? 0, header: (name) => headerValue(res.headers, name), text: () => done });
        });
        req.end(body);
      });
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
