/**
 * The OpenAPI 3 document, generated from the routes' zod schemas (fastify-type-provider-zod's
 * jsonSchemaTransform), served at /openapi.json, with Swagger UI at /docs.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'RPM hub dashboard API',
        version,
        description:
          'Remote patient monitoring for care teams. Every /api/v1 route needs `Authorization: Bearer <token>` or the web application\'s `rpm_session` cookie (from POST /api/v1/session; then unsafe methods also need the `x-csrf-token` header), except the few marked as needing no security; errors are RFC 9457 application/problem+json with stable `code`s (RPM_ERR_*); times are ISO 8601 UTC; lists page with opaque cursors.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (rpm-hub admin token create) or an OIDC access token' },
          session: { type: 'apiKey', in: 'cookie', name: 'rpm_session', description: 'The web application\'s session cookie (POST /api/v1/session); unsafe methods also need x-csrf-token' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
      tags: [
        { name: 'patients', description: 'Worklist, detail and administration of patients' },
        { name: 'readings', description: 'Raw readings and aggregated trends' },
        { name: 'export', description: 'CSV and FHIR R4 export' },
        { name: 'gateways', description: 'Home gateways, devices and the unassigned-readings inbox' },
        { name: 'live', description: 'Server-Sent Events' },
        { name: 'audit', description: 'The access log of patient data' },
        { name: 'session', description: 'Sign-in of the web application (session cookie)' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
