/**
 * How `rpm-hub admin` reaches the registry of a running hub on PGlite. PGlite lives inside the hub
 * process and its data directory may be opened by one process only (hub/sql/dir-lock.ts), so the
 * CLI cannot open it while the hub runs; instead the hub serves the RegistryAdmin methods on a Unix
 * socket in RPM_DATA_DIR/sql/ (mode 0600: only the hub's own user — who could read the database
 * files anyway — can connect). One request per connection: a JSON line `{ method, args }`, answered
 * by a JSON line `{ ok: true, result }` or `{ ok: false, error: { code, message } }`.
 * The registry's own cache sees the change at once, because the change is made in the hub.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { chmod, unlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import { REGISTRY_ADMIN_METHODS, RegistryError, type RegistryAdmin, type RegistryErrorCode } from './registry-admin.js';

const MAX_REQUEST_BYTES = 1024 * 1024;

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: RegistryErrorCode | 'internal' | 'bad_request'; message: string } };

function readLine(socket: Socket, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl >= 0) resolve(buffered.slice(0, nl));
      else if (buffered.length > limit) reject(new Error('request too large'));
    });
    socket.once('end', () => reject(new Error('connection closed before a complete line')));
    socket.once('error', reject);
  });
}

async function answer(admin: RegistryAdmin, line: string, log: Logger): Promise<Reply> {
  let request: { method?: unknown; args?: unknown };
  try {
    request = JSON.parse(line) as typeof request;
  } catch {
    return { ok: false, error: { code: 'bad_request', message: 'request is not JSON' } };
  }
  const method = REGISTRY_ADMIN_METHODS.find((m) => m === request.method);
  if (!method || !Array.isArray(request.args)) return { ok: false, error: { code: 'bad_request', message: 'unknown method or missing args' } };
  try {
    // JSON has no undefined: an omitted optional argument arrives as null.
    const args = (request.args as unknown[]).map((a) => (a === null ? undefined : a));
    const methods = admin as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    return { ok: true, result: await methods[method]?.(...args) };
  } catch (err) {
    if (err instanceof RegistryError) return { ok: false, error: { code: err.code, message: err.message } };
    // Arguments may hold secrets or patient data: log the method and the error only.
    log.error({ method, err }, 'admin request failed');
    return { ok: false, error: { code: 'internal', message: `the hub could not complete ${method}: ${(err as Error).message}` } };
  }
}

export interface AdminSocketServer {
  close(): Promise<void>;
}

/** sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

export async function serveAdminSocket(path: string, admin: RegistryAdmin, log: Logger): Promise<AdminSocketServer> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(`the admin socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes (a Unix socket limit): use a shorter RPM_DATA_DIR`);
  }
  // Whoever holds the PGlite lock owns the socket path; a file left there by a crash is stale.
  await unlink(path).catch(() => undefined);
  const server: Server = createServer((socket) => {
    readLine(socket, MAX_REQUEST_BYTES)
      .then((line) => answer(admin, line, log))
      .then(
        (reply) => socket.end(`${JSON.stringify(reply)}\n`),
        () => socket.destroy(),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  // Connecting to a Unix socket needs write permission on it: owner only.
  await chmod(path, 0o600);
  log.info('admin socket listening');
  return {
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await unlink(path).catch(() => undefined);
    },
  };
}

async function call(path: string, method: string, args: unknown[]): Promise<unknown> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(`${JSON.stringify({ method, args })}\n`);
  const line = await readLine(socket, 64 * MAX_REQUEST_BYTES);
  socket.destroy();
  const reply = JSON.parse(line) as Reply;
  if (reply.ok) return reply.result;
  if (reply.error.code === 'invalid' || reply.error.code === 'not_found' || reply.error.code === 'duplicate' || reply.error.code === 'conflict') {
    throw new RegistryError(reply.error.code, reply.error.message);
  }
  throw new Error(reply.error.message);
}

/** True when a hub answers on the socket (ECONNREFUSED / ENOENT: nobody is serving it). */
export async function adminSocketAvailable(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** RegistryAdmin whose every method runs in the hub behind the socket. */
export function remoteRegistryAdmin(path: string): RegistryAdmin {
  const remote: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of REGISTRY_ADMIN_METHODS) remote[method] = (...args: unknown[]) => call(path, method, args);
  return remote as unknown as RegistryAdmin;
}
