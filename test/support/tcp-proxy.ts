/**
 * A TCP proxy that stands for the home's internet connection: `down()` refuses new connections and cuts
 * the open ones (the broker sees the gateway's socket die, so its Last Will fires), `up()` restores it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  readonly isUp: boolean;
  up(): void;
  down(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, startUp = true): Promise<TcpProxy> {
  let isUp = startUp;
  const sockets = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (client) => {
    if (!isUp) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: targetPort, noDelay: true });
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const down = () => {
    isUp = false;
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    get isUp() {
      return isUp;
    },
    up() {
      isUp = true;
    },
    down,
    async close() {
      down();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
