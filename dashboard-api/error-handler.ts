/** Every error leaves as problem+json with a stable code; unknown routes and methods too. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { partErrorOf, type PartErrorCode } from '../contract/part-errors.js';
import { ApiError, ERROR_CATALOGUE, problem, type ErrorCode, type FieldError } from './errors.js';
import { frameworkProblem, type MappedProblem } from './framework-errors.js';

function jsonPointerToPath(context: string | undefined, pointer: string): string {
  const parts = pointer
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
  return `${context ?? 'request'}${parts}`;
}

/**
 * The problem's `instance`: the route pattern (`/api/v1/patients/:patientId`), never the path as
 * sent, which may carry anything a client typed (issue #15: errors never echo request data).
 */
function instanceOf(request: FastifyRequest): string | undefined {
  return request.routeOptions?.url;
}

type ErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;

/** Installs the handlers; returns the error handler for fastify's `frameworkErrors` option (router errors). */
export function installErrorHandling(app: FastifyInstance, allowedMethods: (url: string) => string[]): ErrorHandler {
  const handle: ErrorHandler = (error, request, reply) => {
    let code: ErrorCode;
    let detail: string | undefined;
    let errors: FieldError[] | undefined;
    let mapped: MappedProblem | undefined;
    let part: PartErrorCode | undefined;
    if (error instanceof ApiError) {
      code = error.code;
      detail = error.message;
      errors = error.errors ? [...error.errors] : undefined;
      if (error.headers) void reply.headers(error.headers);
    } else if ((part = partErrorOf(error)) === 'invalid_input' || part === 'conflict' || part === 'not_found') {
      // The hub's stores check their own input and name the field or record (e.g. an unknown care
      // team); recognised by the code they carry (contract/part-errors.ts), not by class.
      code = part === 'conflict' ? 'RPM_ERR_CONFLICT' : part === 'not_found' ? 'RPM_ERR_NOT_FOUND' : 'RPM_ERR_VALIDATION';
      detail = error.message;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      code = 'RPM_ERR_VALIDATION';
      errors = error.validation.map((v) => ({
        path: jsonPointerToPath(error.validationContext, v.instancePath),
        message: v.message ?? 'invalid',
      }));
      detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    } else if (error.statusCode === 429) {
      code = 'RPM_ERR_RATE_LIMITED';
      detail = error.message;
    } else if ((mapped = frameworkProblem(error))) {
      // fastify's messages may quote the request; ours never do.
      code = mapped.code;
      detail = mapped.detail;
      if (code === 'RPM_ERR_INTERNAL') request.log.error({ err: error }, 'framework error');
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // A client error from a plugin or parser we do not know by name: its message is not passed on.
      code = 'RPM_ERR_VALIDATION';
      detail = 'the request could not be read';
    } else if (part === 'storage_unavailable') {
      code = 'RPM_ERR_STORAGE_UNAVAILABLE';
      request.log.error({ err: error.message }, 'storage unavailable');
    } else if (part === 'audit_unavailable') {
      code = 'RPM_ERR_AUDIT_UNAVAILABLE';
      request.log.error({ reason: error.message }, 'patient data withheld: audit log unavailable');
    } else {
      code = 'RPM_ERR_INTERNAL';
      request.log.error({ err: error }, 'unhandled error');
    }
    // RFC 6750 §3: a 401 for a bearer-protected resource names the scheme.
    if (code === 'RPM_ERR_UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer realm="rpm-hub"');
    void reply.status(ERROR_CATALOGUE[code].status).type('application/problem+json').send(problem(code, detail, instanceOf(request), errors));
  };
  app.setErrorHandler(handle);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const methods = allowedMethods(path);
    if (methods.length > 0) {
      const body = problem('RPM_ERR_METHOD_NOT_ALLOWED', `${request.method} is not allowed; use ${methods.join(', ')}`, undefined);
      void reply.status(405).header('allow', methods.join(', ')).type('application/problem+json').send(body);
      return;
    }
    void reply.status(404).type('application/problem+json').send(problem('RPM_ERR_ROUTE_NOT_FOUND', `no route for ${request.method} on this path`, undefined));
  });
  return handle;
}
