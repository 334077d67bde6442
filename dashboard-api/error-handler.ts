/** Every error leaves as problem+json with a stable code; unknown routes and methods too. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RegistryError } from '../hub/registry/registry-admin.js';
import { InfluxError } from '../hub/storage/influx-v1.js';
import { ApiError, problem, type ErrorCode, type FieldError } from './errors.js';

function jsonPointerToPath(context: string | undefined, pointer: string): string {
  const parts = pointer
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
  return `${context ?? 'request'}${parts}`;
}

export function installErrorHandling(app: FastifyInstance, allowedMethods: (url: string) => string[]): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let code: ErrorCode;
    let detail: string | undefined;
    let errors: FieldError[] | undefined;
    if (error instanceof ApiError) {
      code = error.code;
      detail = error.message;
      errors = error.errors ? [...error.errors] : undefined;
      if (error.headers) void reply.headers(error.headers);
    } else if (error instanceof RegistryError) {
      // The registry checks its own input and names the field or record (e.g. an unknown care team).
      code = error.code === 'duplicate' || error.code === 'conflict' ? 'RPM_ERR_CONFLICT' : 'RPM_ERR_VALIDATION';
      detail = error.message;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      code = 'RPM_ERR_VALIDATION';
      errors = error.validation.map((v) => ({
        path: jsonPointerToPath(error.validationContext, v.instancePath),
        message: v.message ?? 'invalid',
      }));
      detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    } else if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      code = 'RPM_ERR_PAYLOAD_TOO_LARGE';
    } else if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      code = 'RPM_ERR_UNSUPPORTED_MEDIA_TYPE';
      detail = 'send application/json';
    } else if (error.statusCode === 429) {
      code = 'RPM_ERR_RATE_LIMITED';
      detail = error.message;
    } else if (error.statusCode === 400 || error.code?.startsWith('FST_ERR_CTP')) {
      code = 'RPM_ERR_VALIDATION';
      detail = error.message;
    } else if (error instanceof InfluxError && (error.retryable || error.status === undefined)) {
      code = 'RPM_ERR_STORAGE_UNAVAILABLE';
      request.log.error({ err: error.message }, 'storage unavailable');
    } else {
      code = 'RPM_ERR_INTERNAL';
      request.log.error({ err: error }, 'unhandled error');
    }
    // RFC 6750 §3: a 401 for a bearer-protected resource names the scheme.
    if (code === 'RPM_ERR_UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer realm="rpm-hub"');
    const body = problem(code, detail, request.url.split('?')[0], errors);
    void reply.status(body.status).type('application/problem+json').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const methods = allowedMethods(path);
    if (methods.length > 0) {
      const body = problem('RPM_ERR_METHOD_NOT_ALLOWED', `${request.method} is not allowed; use ${methods.join(', ')}`, path);
      void reply.status(405).header('allow', methods.join(', ')).type('application/problem+json').send(body);
      return;
    }
    void reply.status(404).type('application/problem+json').send(problem('RPM_ERR_ROUTE_NOT_FOUND', `no route ${request.method} ${path}`, path));
  });
}
