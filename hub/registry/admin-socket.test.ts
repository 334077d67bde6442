import { connect } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { adminSocketAvailable, remoteRegistryAdmin, serveAdminSocket, type AdminSocketServer } from './admin-socket.js';
import { RegistryError, type RegistryAdmin } from './registry-admin.js';

/** Only the methods a test calls; the socket must not care what the admin is. */
function stubAdmin(overrides: Partial<RegistryAdmin>): RegistryAdmin {
  return overrides as RegistryAdmin;
}

function rawRequest(path: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path, () => socket.write(line));
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('admin socket', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function serve(admin: RegistryAdmin): Promise<{ path: string; server: AdminSocketServer }> {
    const dir = await tempDir('admin-sock');
    cleanups.push(dir.remove);
    const path = `${dir.path}/admin.sock`;
    const server = await serveAdminSocket(path, admin, pino({ level: 'silent' }));
    cleanups.push(() => server.close());
    return { path, server };
  }

  it('runs a method in the serving process and returns its JSON result; omitted arguments stay omitted', async () => {
    const calls: unknown[] = [];
    const { path } = await serve(
      stubAdmin({
        listPatients: async (filter) => {
          calls.push(filter);
          return [];
        },
        createCareTeam: async (input) => ({ id: input.id, displayName: input.displayName, createdAt: '2026-01-01T00:00:00.000Z' }),
      }),
    );
    const remote = remoteRegistryAdmin(path);
    expect(await remote.createCareTeam({ id: 'team-a', displayName: 'A' })).toEqual({ id: 'team-a', displayName: 'A', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(await remote.listPatients()).toEqual([]);
    expect(await remote.listPatients(undefined)).toEqual([]);
    expect(calls).toEqual([undefined, undefined]);
  });

  it('passes RegistryErrors through with their code; other failures say which method failed', async () => {
    const { path } = await serve(
      stubAdmin({
        revokeGateway: () => Promise.reject(new RegistryError('not_found', 'no gateway home-9')),
        listGateways: () => Promise.reject(new Error('disk full')),
      }),
    );
    const remote = remoteRegistryAdmin(path);
    await expect(remote.revokeGateway('home-9')).rejects.toMatchObject({ name: 'RegistryError', code: 'not_found', message: 'no gateway home-9' });
    await expect(remote.listGateways()).rejects.toThrow('the hub could not complete listGateways: disk full');
  });

  it('refuses anything but a RegistryAdmin method, and malformed requests', async () => {
    const { path } = await serve(stubAdmin({}));
    expect(JSON.parse(await rawRequest(path, '{"method":"constructor","args":[]}\n'))).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'unknown method or missing args' },
    });
    expect(JSON.parse(await rawRequest(path, 'not json\n'))).toEqual({ ok: false, error: { code: 'bad_request', message: 'request is not JSON' } });
  });

  it('is available only while served; a stale socket file from a crash is replaced', async () => {
    const { path, server } = await serve(stubAdmin({}));
    expect(await adminSocketAvailable(path)).toBe(true);
    await server.close();
    expect(await adminSocketAvailable(path)).toBe(false);
    const again = await serveAdminSocket(path, stubAdmin({}), pino({ level: 'silent' }));
    cleanups.push(() => again.close());
    expect(await adminSocketAvailable(path)).toBe(true);
  });

  it('refuses a socket path longer than Unix allows, naming RPM_DATA_DIR', async () => {
    await expect(serveAdminSocket(`/tmp/${'x'.repeat(120)}/admin.sock`, stubAdmin({}), pino({ level: 'silent' }))).rejects.toThrow(/use a shorter RPM_DATA_DIR/);
  });
});
