/**
 * The two halves of HTTP cookies the API needs (RFC 6265), without a plugin: reading the Cookie
 * request header and writing one Set-Cookie value. Small on purpose; @fastify/cookie is not a
 * dependency and signing is not needed (the cookie carries a token the server verifies anyway).
 */

/** Cookie names and values as RFC 6265 §4.1.1 allows them (token / cookie-octet). */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

/**
 * The cookies of a Cookie header, by name. RFC 6265 §5.4: a browser sends cookies with longer
 * paths first, so the first of two cookies with one name wins. Pairs that are malformed (no `=`,
 * an empty or invalid name) are skipped rather than failing the whole header.
 */
export function parseCookies(header: string | readonly string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  const text = typeof header === 'string' ? header : header.join('; ');
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    // RFC 6265 §4.1.1: a value may be wrapped in double quotes, which are not part of it.
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!COOKIE_NAME.test(name) || !COOKIE_VALUE.test(value) || cookies.has(name)) continue;
    cookies.set(name, value);
  }
  return cookies;
}

export interface CookieAttributes {
  /** Seconds until the browser drops the cookie; 0 deletes it at once (RFC 6265 §5.2.2). */
  readonly maxAge: number;
  readonly path: string;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly sameSite: 'Strict' | 'Lax';
}

/** One Set-Cookie header value. Throws on a name or value a browser would mangle, rather than sending it. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  if (!COOKIE_NAME.test(name)) throw new Error('invalid cookie name');
  if (!COOKIE_VALUE.test(value)) throw new Error('invalid cookie value');
  if (!Number.isInteger(attributes.maxAge) || attributes.maxAge < 0) throw new Error('cookie Max-Age must be a whole number of seconds');
  const parts = [`${name}=${value}`, `Max-Age=${attributes.maxAge}`, `Path=${attributes.path}`];
  if (attributes.httpOnly) parts.push('HttpOnly');
  if (attributes.secure) parts.push('Secure');
  parts.push(`SameSite=${attributes.sameSite}`);
  return parts.join('; ');
}
