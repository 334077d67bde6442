/**
 * Throw-away X.509 material for TLS tests, made with the openssl CLI (Debian's openssl package):
 * a CA, a server certificate for localhost / 127.0.0.1, client certificates signed by the CA, and a
 * client certificate from an unrelated ("rogue") CA. EC P-256 keys: fast to make.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KeyPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface TestCerts {
  readonly ca: Buffer;
  readonly server: KeyPair;
  /** Client certificate per requested CN, signed by `ca`. */
  readonly clients: Readonly<Record<string, KeyPair>>;
  /** A client certificate for the first CN, signed by another CA. */
  readonly rogue: KeyPair;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

async function selfSignedCa(dir: string, name: string): Promise<void> {
  await openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`]);
}

async function signed(dir: string, name: string, cn: string, ca: string, extensions?: string): Promise<KeyPair> {
  await openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2'];
  if (extensions) {
    await writeFile(join(dir, `${name}.ext`), extensions);
    args.push('-extfile', `${name}.ext`);
  }
  await openssl(dir, args);
  return { cert: await readFile(join(dir, `${name}.crt`)), key: await readFile(join(dir, `${name}.key`)) };
}

export async function makeTestCerts(dir: string, clientNames: readonly string[]): Promise<TestCerts> {
  await selfSignedCa(dir, 'test-ca');
  await selfSignedCa(dir, 'rogue-ca');
  const server = await signed(dir, 'server', 'localhost', 'test-ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const clients: Record<string, KeyPair> = {};
  for (const name of clientNames) clients[name] = await signed(dir, `client-${name}`, name, 'test-ca');
  const rogue = await signed(dir, 'rogue-client', clientNames[0] ?? 'rogue', 'rogue-ca');
  return { ca: await readFile(join(dir, 'test-ca.crt')), server, clients, rogue };
}
