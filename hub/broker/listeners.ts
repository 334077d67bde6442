/**
 * The broker's network listeners: MQTT over TCP (always), over TLS and over WebSocket when
 * configured. Each hands Aedes a byte stream plus what we know of the peer (address, transport,
 * verified client certificate). Nagle is off on every socket: small PUBACKs otherwise wait ~40 ms
 * (measured, DESIGN.md).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { WebSocketServer, createWebSocketStream } from 'ws';

export type Transport = 'tcp' | 'tls' | 'ws';

export interface ConnectionMeta {
  readonly transport: Transport;
  readonly address: string;
  /** TLS with a client certificate that chains to MQTT_TLS_CA: its subject CN. */
  readonly certificateName?: string;
  /** TLS with a client certificate that does not verify: why. */
  readonly certificateError?: string;
}

export type ConnectionHandler = (stream: Duplex, meta: ConnectionMeta, req?: IncomingMessage) => void;

export interface TlsListenOptions {
  readonly host: string;
  readonly port: number;
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** CA for client certificates: when set, clients may authenticate with a certificate instead of a password. */
  readonly ca?: string | Buffer;
}

export interface Listener {
  readonly transport: Transport;
  readonly port: number;
  readonly listening: () => boolean;
  close(): Promise<void>;
}

async function listen(server: Server | HttpServer, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function asListener(transport: Transport, server: Server | HttpServer, port: number, beforeClose?: () => void): Listener {
  return {
    transport,
    port,
    listening: () => server.listening,
    close: () => {
      beforeClose?.();
      return closeServer(server);
    },
  };
}

export async function listenTcp(host: string, port: number, handle: ConnectionHandler): Promise<Listener> {
  const server = createTcpServer({ noDelay: true }, (socket: Socket) => handle(socket, { transport: 'tcp', address: socket.remoteAddress ?? 'unknown' }));
  return asListener('tcp', server, await listen(server, host, port));
}

export async function listenTls(options: TlsListenOptions, handle: ConnectionHandler, onHandshakeError: (address: string, err: Error) => void): Promise<Listener> {
  const server = createTlsServer(
    {
      cert: options.cert,
      key: options.key,
      minVersion: 'TLSv1.2',
      // Certificates are optional per client: a box may use its password instead.
      ...(options.ca && { ca: options.ca, requestCert: true, rejectUnauthorized: false }),
    },
    (socket: TLSSocket) => {
      socket.setNoDelay(true);
      const address = socket.remoteAddress ?? 'unknown';
      let meta: ConnectionMeta = { transport: 'tls', address };
      if (options.ca) {
        const cert = socket.getPeerCertificate();
        const presented = cert && Object.keys(cert).length > 0;
        if (socket.authorized) {
          const cn = cert.subject?.CN;
          meta = { ...meta, certificateName: Array.isArray(cn) ? cn[0] : cn };
        } else if (presented) {
          meta = { ...meta, certificateError: String(socket.authorizationError) };
        }
      }
      handle(socket, meta);
    },
  );
  server.on('tlsClientError', (err, socket) => onHandshakeError(socket.remoteAddress ?? 'unknown', err));
  return asListener('tls', server, await listen(server, options.host, options.port));
}

/** MQTT over WebSocket (subprotocol "mqtt", [MQTT-6.0.0-3]); one WebSocket message may carry any part of the byte stream. */
export async function listenWebSocket(host: string, port: number, maxPacketBytes: number, handle: ConnectionHandler): Promise<Listener> {
  const http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: upgrade required\n');
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload: maxPacketBytes,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });
  wss.on('connection', (ws, req) => {
    req.socket.setNoDelay(true);
    const stream = createWebSocketStream(ws);
    // A peer vanishing mid-frame makes the stream error; Aedes then closes the client.
    stream.on('error', () => undefined);
    handle(stream, { transport: 'ws', address: req.socket.remoteAddress ?? 'unknown' }, req);
  });
  return asListener('ws', http, await listen(http, host, port), () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  });
}
