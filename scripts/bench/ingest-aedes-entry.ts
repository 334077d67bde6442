/**
 * A bare Aedes broker for the benchmark's baseline (no auth hooks, no ingest): what the broker alone
 * does with QoS 1. Port from BENCH_AEDES_PORT; prints `AEDES_READY <port>`.
 */
import { Aedes } from 'aedes';
import { createServer } from 'node:net';

const aedes = await Aedes.createBroker();
const server = createServer({ noDelay: true }, (socket) => aedes.handle(socket));
server.listen(Number(process.env.BENCH_AEDES_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`AEDES_READY ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => aedes.close(() => server.close(() => process.exit(0))));
