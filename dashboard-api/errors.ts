/**
 * Stable error codes, mapped to RFC 9457 problem+json in one place. Codes never change meaning once
 * released (a test pins the catalogue); 5xx details stay in the server log.
 */
export const ERROR_CATALOGUE = {
  RPM_ERR_VALIDATION: { status: 400, title: 'The request is not valid' },
  RPM_ERR_UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  RPM_ERR_FORBIDDEN: { status: 403, title: 'Not allowed for your role' },
  RPM_ERR_CSRF: { status: 403, title: 'The request lacks the session\'s CSRF token' },
  RPM_ERR_NOT_FOUND: { status: 404, title: 'Not found' },
  RPM_ERR_ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  RPM_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed on this route' },
  RPM_ERR_CONFLICT: { status: 409, title: 'Conflicts with the current state' },
  RPM_ERR_OBSERVATION_SUPERSEDED: { status: 409, title: 'That observation was already corrected' },
  RPM_ERR_SESSION_CLOSED: { status: 409, title: 'That measurement session is closed' },
  RPM_ERR_ROOM_BUSY: { status: 409, title: 'Another measurement session is open in that room' },
  RPM_ERR_LINK_USED: { status: 410, title: 'This answer link was used already' },
  RPM_ERR_LINK_EXPIRED: { status: 410, title: 'This answer link has expired' },
  RPM_ERR_PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  RPM_ERR_PATH_TOO_LONG: { status: 414, title: 'A path segment is too long' },
  RPM_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  RPM_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  RPM_ERR_STORAGE_UNAVAILABLE: { status: 503, title: 'Storage temporarily unavailable' },
  RPM_ERR_SIGN_IN_PROVIDER_UNAVAILABLE: { status: 503, title: 'The sign-in provider cannot be reached' },
  RPM_ERR_AUDIT_UNAVAILABLE: { status: 503, title: 'The access log cannot record this request; patient data is withheld' },
  RPM_ERR_DEADLINE_EXCEEDED: { status: 503, title: 'The work did not finish within its time limit' },
  RPM_ERR_INTERNAL: { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface FieldError {
  /** Path of the offending field, e.g. `query.from` or `body.thresholds[0].max`. */
  readonly path: string;
  readonly message: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code: ErrorCode;
  readonly errors?: readonly FieldError[];
}

/** An error a route throws to answer with a specific problem. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly errors?: readonly FieldError[],
    /** Extra response headers, e.g. Retry-After on 429 or WWW-Authenticate on 401. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail ?? ERROR_CATALOGUE[code].title);
    this.name = 'ApiError';
  }
}

export function problem(code: ErrorCode, detail: string | undefined, instance: string | undefined, errors?: readonly FieldError[]): Problem {
  const { status, title } = ERROR_CATALOGUE[code];
  return {
    type: `urn:rpm-hub:problem:${code}`,
    title,
    status,
    ...(detail !== undefined && { detail }),
    ...(instance !== undefined && { instance }),
    code,
    ...(errors && errors.length > 0 && { errors }),
  };
}
