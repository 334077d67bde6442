/**
 * GET /api/v1/live — Server-Sent Events (WHATWG HTML §9.2) of alert changes for the caller's care
 * teams. Each delivered event about a patient is an access to patient data: it is written to the
 * audit log before it is sent, in order, per connection.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AlertMessage } from '../../../contract/index.js';
import { partErrorOf } from '../../../contract/part-errors.js';
import { commitRead } from '../../audit-hooks.js';
import { requirePrincipal } from '../../auth.js';
import { ApiError } from '../../errors.js';
import { ALL_ROLES } from '../../route-policy.js';
import { securityHeaders } from '../../security.js';
import type { ApiServices } from '../../services.js';
import { LIVE_DESCRIPTION, LiveAlertEvent } from './schemas.js';

export interface LiveRouteOptions {
  readonly heartbeatMs: number;
  readonly tls: boolean;
}

/** A client that stops reading is cut off rather than buffered for without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export const liveRoutes =
  (services: Pick<ApiServices, 'alertEvents' | 'audit'>, options: LiveRouteOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const open = new Set<ServerResponse>();
    app.addHook('preClose', async () => {
      for (const res of open) res.end();
    });

    app.get(
      '/live',
      {
        config: { roles: ALL_ROLES },
        schema: {
          summary: 'Live alert events (Server-Sent Events)',
          description: LIVE_DESCRIPTION,
          tags: ['live'],
          response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } } },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        try {
          await commitRead(services.audit.trail, request, 'live.subscribe', [null]);
        } catch (err) {
          if (partErrorOf(err) === 'audit_unavailable') throw new ApiError('RPM_ERR_AUDIT_UNAVAILABLE', 'try again shortly');
          throw err;
        }
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          ...securityHeaders({ tls: options.tls, api: true }),
          'content-type': 'text/event-stream; charset=utf-8',
          connection: 'keep-alive',
          // nginx and similar proxies buffer responses unless told not to.
          'x-accel-buffering': 'no',
        });
        res.write('retry: 5000\n: connected\n\n');
        open.add(res);

        let chain = Promise.resolve();
        let closed = false;
        const deliver = async (event: AlertMessage) => {
          if (closed) return;
          try {
            await commitRead(services.audit.trail, request, 'live.alert', [event.patientId ?? null]);
          } catch {
            res.write(`event: error\ndata: ${JSON.stringify({ code: 'RPM_ERR_AUDIT_UNAVAILABLE' })}\n\n`);
            res.end();
            return;
          }
          if (closed) return;
          res.write(`id: ${event.id}:${event.revision}\nevent: alert\ndata: ${JSON.stringify(LiveAlertEvent.parse(event))}\n\n`);
          if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
        };
        const unsubscribe = services.alertEvents.subscribe(principal.role === 'admin' ? 'all' : principal.careTeamIds, (event) => {
          chain = chain.then(() => deliver(event));
        });
        const heartbeat = setInterval(() => res.write(`: heartbeat ${new Date().toISOString()}\n\n`), options.heartbeatMs);
        res.on('close', () => {
          closed = true;
          open.delete(res);
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    );
  };
