/**
 * A small client for InfluxDB's v1 HTTP API: /write (line protocol) and /query (InfluxQL).
 * InfluxDB 1.x serves it natively and 2.x / 3.x serve it as their v1-compatibility API,
 * so this one code path works with every version a care organisation may run.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

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

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Quotes an InfluxQL identifier (database, measurement, field). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class InfluxV1Client {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(private readonly config: InfluxV1Config) {
    this.base = config.url.replace(/\/+$/, '');
    this.headers = {};
    if (config.auth.kind === 'token') this.headers.authorization = `Token ${config.auth.token}`;
    if (config.auth.kind === 'basic') {
      this.headers.authorization = `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`).toString('base64')}`;
    }
    this.timeoutMs = config.timeoutMs ?? 10_000;
  }

  get database(): string {
    return this.config.database;
  }

  /** Writes line protocol (one point per line) with millisecond timestamps. Resolves once InfluxDB confirmed (204). */
  async write(lines: string | readonly string[]): Promise<void> {
    const body = typeof lines === 'string' ? lines : lines.join('\n');
    if (body.length === 0) return;
    const params = new URLSearchParams({ db: this.config.database, precision: 'ms' });
    if (this.config.retentionPolicy) params.set('rp', this.config.retentionPolicy);
    const headers: Record<string, string> = { ...this.headers, 'content-type': 'text/plain; charset=utf-8' };
    let payload: Buffer | string = body;
    if (body.length > (this.config.gzipAboveBytes ?? 64 * 1024)) {
      payload = await gzip(body);
      headers['content-encoding'] = 'gzip';
    }
    const res = await this.request(`/write?${params.toString()}`, { method: 'POST', headers, body: payload });
    if (res.status === 204) return;
    throw await this.errorFrom(res, 'write');
  }

  /**
   * Runs InfluxQL. Values are passed as bound parameters (`$name`), never spliced into the text,
   * so ids from requests cannot change the query.
   */
  async query(influxql: string, params: Readonly<Record<string, string | number | boolean>> = {}): Promise<InfluxSeries[]> {
    const form = new URLSearchParams({ db: this.config.database, q: influxql, epoch: 'ms' });
    if (Object.keys(params).length > 0) form.set('params', JSON.stringify(params));
    // POST so that long queries do not hit URL limits; InfluxDB accepts SELECT over POST too.
    const res = await this.request('/query', {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    if (res.status !== 200) throw await this.errorFrom(res, 'query');
    const json = (await res.json()) as QueryResponse;
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
      return res.status === 204 || res.status === 200;
    } catch {
      return false;
    }
  }

  private async request(path: string, init: { method: string; headers: Record<string, string>; body?: string | Buffer }): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new InfluxError(`InfluxDB unreachable at ${this.base} (${cause})`, undefined, true);
    }
  }

  private async errorFrom(res: Response, what: string): Promise<InfluxError> {
    let detail = '';
    try {
      const text = await res.text();
      detail = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // body unreadable: the status says enough
    }
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    return new InfluxError(
      `InfluxDB ${what} failed with HTTP ${res.status}${detail ? `: ${detail.slice(0, 300)}` : ''}`,
      res.status,
      retryable,
      parseRetryAfter(res.headers.get('retry-after')),
    );
  }
}
