/**
 * fastify's own errors (FST_ERR_*) as catalogued problems. Their messages often quote the request
 * (the URL of FST_ERR_MAX_PARAM_LENGTH, the content type of FST_ERR_CTP_INVALID_MEDIA_TYPE), so none
 * is passed on: each known code gets a fixed detail of ours, and anything else is a 400 with a
 * generic detail (client errors) or an internal error (the rest, logged by the caller).
 */
import type { ErrorCode } from './errors.js';

export interface MappedProblem {
  readonly code: ErrorCode;
  readonly detail?: string;
}

/** Errors a request can cause, by fastify code; every other FST_ERR_* is a server-side defect. */
const REQUEST_ERRORS: Readonly<Record<string, MappedProblem>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'RPM_ERR_PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'RPM_ERR_UNSUPPORTED_MEDIA_TYPE', detail: 'send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'RPM_ERR_VALIDATION', detail: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'RPM_ERR_VALIDATION', detail: 'the body is empty although its content type is JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'RPM_ERR_VALIDATION', detail: 'the body is not valid JSON' },
  FST_ERR_VALIDATION: { code: 'RPM_ERR_VALIDATION', detail: 'the request does not match the schema' },
  FST_ERR_BAD_URL: { code: 'RPM_ERR_VALIDATION', detail: 'the path is not a valid URL' },
  FST_ERR_INVALID_URL: { code: 'RPM_ERR_VALIDATION', detail: 'the path is not a valid URL' },
  // find-my-way refuses a path segment over maxParamLength before any route runs.
  FST_ERR_MAX_PARAM_LENGTH: { code: 'RPM_ERR_PATH_TOO_LONG', detail: 'a path segment is longer than the API accepts' },
  FST_ERR_NOT_FOUND: { code: 'RPM_ERR_ROUTE_NOT_FOUND' },
};

interface ErrorLike {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly name?: unknown;
}

/** The problem for a framework error, or undefined when the error is not fastify's. */
export function frameworkProblem(error: ErrorLike): MappedProblem | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && REQUEST_ERRORS[code]) return REQUEST_ERRORS[code];
  const status = typeof error.statusCode === 'number' ? error.statusCode : undefined;
  if (code?.startsWith('FST_ERR_')) {
    return status !== undefined && status >= 400 && status < 500 ? { code: 'RPM_ERR_VALIDATION', detail: 'the request could not be read' } : { code: 'RPM_ERR_INTERNAL' };
  }
  // The JSON parser's SyntaxError (and prototype-poisoning refusals) carry a 400 but no FST code.
  if (status === 400 && error.name === 'SyntaxError') return { code: 'RPM_ERR_VALIDATION', detail: 'the body is not valid JSON' };
  return undefined;
}
