/**
 * A small client for InfluxDB's v1 HTTP API: /write (line protocol) and /query (InfluxQL).
 * InfluxDB 1.x serves it natively and 2.x / 3.x serve it as their v1-compatibility API,
 * so this one code path works with every version a care organisation may run.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback, type ZlibOptions } from 'node:zlib';
import type { PartErrorCode } from '../../contract/part-errors.js';
import { HttpTransportError, keepAliveTransport, type HttpRequestInit, type HttpResponse, type HttpTransport } from './http-request.js';

const gzip = promisify<Buffer | string, ZlibOptions, Buffer>(gzipCallback);

export type InfluxAuth =
  | { readonly kind: 'none' }
  /** InfluxDB 2.x / 3.x v1-compatibility: `Authorization: Token <token>`. */
  | { readonly kind: 'token'; readonly token: string }
  /** InfluxDB 1.x with auth-enabled: HTTP basic auth. */
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

export interface InfluxV1Config {
  readonly url: string;
  readonly database: string;
  readonly retentionPolicy?: string;
  readonly auth: InfluxAuth;
  readonly timeoutMs?: number;
  /** Compress write bodies above this many bytes (InfluxDB accepts Content-Encoding: gzip). */
  readonly gzipAboveBytes?: number;
  /**
   * zlib level for write bodies, 1-9, or 0 for no compression. Default: 0 when InfluxDB is on this
   * machine (loopback: there is no bandwidth to save, and both sides would spend CPU on it), else 1:
   * line protocol compresses about 19:1 at level 1 against 23:1 at level 6, for a third of the CPU
   * (0.9 vs 2.9 µs a point, measured here) — CPU the hub needs for ingest.
   */
  readonly gzipLevel?: number;
  /** Connections kept to InfluxDB (keep-alive); default 8. */
  readonly maxSockets?: number;
}

/**
 * Why a request failed, so that callers can decide: retryable errors (InfluxDB down, overloaded,
 * timing out) are retried with backoff; permanent ones (bad line protocol, wrong credentials,
 * missing database) are not, because retrying cannot fix them.
 */
export class InfluxError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    /** Server-requested wait, from Retry-After on 429/503. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'InfluxError';
  }

  /** contract/part-errors.ts: unreachable or retryable means "storage unavailable" (503); other answers carry no code (500). */
  get partError(): PartErrorCode | undefined {
    return this.retryable || this.status === undefined ? 'storage_unavailable' : undefined;
  }
}

export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly columns: readonly string[];
  readonly values: readonly (readonly unknown[])[];
}

interface QueryResponse {
  results?: { statement_id: number; series?: InfluxSeries[]; error?: string }[];
  error?: string;
}

function parseRetryAfter(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The readable part of an error body: 1.x and 3.x send `{"error": "..."}`, 2.x sends
 * `{"code": "not found", "message": "..."}`, and proxies (or 3.x, for some errors) plain text.
 */
export function errorDetail(body: string): string {
  const text = body.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed !== 'object' || parsed === null) return text;
  const { error, code, message } = parsed as { error?: unknown; code?: unknown; message?: unknown };
  if (typeof error === 'string') return error;
  if (typeof message === 'string') return typeof code === 'string' && code !== '' ? `${code}: ${message}` : message;
  return text;
}

/** 127.0.0.0/8, ::1 or localhost: InfluxDB on this machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Quotes an InfluxQL identifier (database, measurement, field). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class InfluxV1Client {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly transport: HttpTransport;
  private readonly writePath: string;
  private readonly gzipLevel: number;

  constructor(private readonly config: InfluxV1Config) {
    this.base = config.url.replace(/\/+$/, '');
    this.headers = {};
    if (config.auth.kind === 'token') this.headers.authorization = `Token ${config.auth.token}`;
    if (config.auth.kind === 'basic') {
      this.headers.authorization = `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`).toString('base64')}`;
    }
    this.timeoutMs = config.timeoutMs ?? 10_000;
    this.transport = keepAliveTransport(config.maxSockets ?? 8);
    this.gzipLevel = config.gzipLevel ?? (isLoopback(new URL(this.base).hostname) ? 0 : 1);
    const params = new URLSearchParams({ db: config.database, precision: 'ms' });
    if (config.retentionPolicy) params.set('rp', config.retentionPolicy);
    this.writePath = `/write?${params.toString()}`;
  }

  get database(): string {
    return this.config.database;
  }

  /** The retention policy writes and queries name; undefined: the database's default. */
  get retentionPolicy(): string | undefined {
    return this.config.retentionPolicy;
  }

  /**
   * Writes line protocol (one point per line; a Buffer holds it UTF-8 encoded) with millisecond
   * timestamps. Resolves once InfluxDB confirmed (204).
   */
  async write(lines: string | Buffer | readonly string[]): Promise<void> {
    const body = typeof lines === 'string' || Buffer.isBuffer(lines) ? lines : lines.join('\n');
    if (body.length === 0) return;
    const headers: Record<string, string> = { ...this.headers, 'content-type': 'text/plain; charset=utf-8' };
    let payload: Buffer | string = body;
    if (this.gzipLevel > 0 && body.length > (this.config.gzipAboveBytes ?? 64 * 1024)) {
      payload = await gzip(body, { level: this.gzipLevel });
      headers['content-encoding'] = 'gzip';
    }
    const res = await this.request(this.writePath, { method: 'POST', headers, body: payload });
    if (res.status === 204) {
      // Written: the (empty) body is read only to free the connection.
      await res.text().catch(() => undefined);
      return;
    }
    throw await this.errorFrom(res, 'write');
  }

  /**
   * Runs InfluxQL. Values are passed as bound parameters (`$name`), never spliced into the text,
   * so ids from requests cannot change the query.
   */
  async query(influxql: string, params: Readonly<Record<string, string | number | boolean>> = {}): Promise<InfluxSeries[]> {
    const form = new URLSearchParams({ db: this.config.database, q: influxql, epoch: 'ms' });
    // 2.x/3.x resolve db + rp through the DBRP mapping; without rp they take the database's default
    // mapping, which need not be the bucket the writes (which do carry rp) went to.
    if (this.config.retentionPolicy) form.set('rp', this.config.retentionPolicy);
    if (Object.keys(params).length > 0) form.set('params', JSON.stringify(params));
    // POST so that long queries do not hit URL limits; InfluxDB accepts SELECT over POST too.
    const res = await this.request('/query', {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    if (res.status !== 200) throw await this.errorFrom(res, 'query');
    let json: QueryResponse;
    try {
      json = JSON.parse(await res.text()) as QueryResponse;
    } catch (err) {
      throw new InfluxError(`InfluxDB query answer unreadable (${err instanceof HttpTransportError ? err.code : 'invalid JSON'})`, 200, true);
    }
    if (json.error) throw new InfluxError(`query failed: ${json.error}`, 200, false);
    const series: InfluxSeries[] = [];
    for (const result of json.results ?? []) {
      if (result.error) throw new InfluxError(`query failed: ${result.error}`, 200, false);
      series.push(...(result.series ?? []));
    }
    return series;
  }

  /** CREATE DATABASE is idempotent in InfluxDB 1.x. On 2.x/3.x the bucket and its DBRP mapping are provisioned outside. */
  async ensureDatabase(): Promise<void> {
    await this.query(`CREATE DATABASE ${quoteIdent(this.config.database)}`);
  }

  async ping(): Promise<boolean> {
    try {
      const res = await this.request('/ping', { method: 'GET', headers: this.headers });
      await res.text().catch(() => undefined);
      return res.status === 204 || res.status === 200;
    } catch {
      return false;
    }
  }

  /** Closes the pooled connections (idle ones would otherwise keep a short-lived process alive for a while). */
  close(): void {
    this.transport.close();
  }

  private async request(path: string, init: Omit<HttpRequestInit, 'timeoutMs'>): Promise<HttpResponse> {
    try {
      return await this.transport.request(new URL(`${this.base}${path}`), { ...init, timeoutMs: this.timeoutMs });
    } catch (err) {
      const cause = err instanceof HttpTransportError ? err.code : (err as Error).name;
      throw new InfluxError(`InfluxDB unreachable at ${this.base} (${cause})`, undefined, true);
    }
  }

  private async errorFrom(res: HttpResponse, what: string): Promise<InfluxError> {
    let detail = '';
    try {
      detail = errorDetail(await res.text());
    } catch {
      // body unreadable: the status says enough
    }
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    return new InfluxError(
      `InfluxDB ${what} failed with HTTP ${res.status}${detail ? `: ${detail.slice(0, 300)}` : ''}`,
      res.status,
      retryable,
      parseRetryAfter(res.header('retry-after')),
    );
  }
}
