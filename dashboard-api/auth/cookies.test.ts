import { describe, expect, it } from 'vitest';
import { parseCookies, serializeCookie } from './cookies.js';

describe('Cookie header parsing (RFC 6265 §5.4)', () => {
  it('reads name=value pairs separated by "; " and trims around them', () => {
    expect([...parseCookies('a=1; rpm_session=tok_abc-DEF_123;theme=dark')]).toEqual([
      ['a', '1'],
      ['rpm_session', 'tok_abc-DEF_123'],
      ['theme', 'dark'],
    ]);
  });

  it('keeps the first of two cookies with one name (the one with the longer path)', () => {
    expect(parseCookies('rpm_session=first; rpm_session=second').get('rpm_session')).toBe('first');
  });

  it('strips the double quotes a value may be wrapped in, and keeps "=" inside a value', () => {
    expect(parseCookies('q="quoted"; b64=YWJj==').get('q')).toBe('quoted');
    expect(parseCookies('b64=YWJj==').get('b64')).toBe('YWJj==');
  });

  it('skips malformed pairs instead of failing the header', () => {
    const cookies = parseCookies('novalue; =orphan; bad name=x; sp=a b; ok=yes; semi="x;y"');
    expect([...cookies]).toEqual([['ok', 'yes']]);
  });

  it('accepts an absent header, an empty one and several header lines', () => {
    expect(parseCookies(undefined).size).toBe(0);
    expect(parseCookies('').size).toBe(0);
    expect([...parseCookies(['a=1', 'b=2'])]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });
});

describe('Set-Cookie serialisation', () => {
  it('writes the value and every attribute', () => {
    expect(serializeCookie('rpm_session', 'tok_x', { maxAge: 3600, path: '/api/v1', httpOnly: true, secure: true, sameSite: 'Strict' })).toBe(
      'rpm_session=tok_x; Max-Age=3600; Path=/api/v1; HttpOnly; Secure; SameSite=Strict',
    );
    expect(serializeCookie('a', '', { maxAge: 0, path: '/', httpOnly: false, secure: false, sameSite: 'Lax' })).toBe('a=; Max-Age=0; Path=/; SameSite=Lax');
  });

  it('refuses values a browser would cut or mangle, and a fractional or negative Max-Age', () => {
    const attrs = { maxAge: 1, path: '/', httpOnly: true, secure: false, sameSite: 'Strict' } as const;
    expect(() => serializeCookie('a', 'x;Domain=evil.example', attrs)).toThrow('invalid cookie value');
    expect(() => serializeCookie('a b', 'x', attrs)).toThrow('invalid cookie name');
    expect(() => serializeCookie('a', 'x', { ...attrs, maxAge: 1.5 })).toThrow('Max-Age');
    expect(() => serializeCookie('a', 'x', { ...attrs, maxAge: -1 })).toThrow('Max-Age');
  });

  it('round-trips through the parser', () => {
    const value = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2ln-_';
    const header = serializeCookie('rpm_session', value, { maxAge: 10, path: '/api/v1', httpOnly: true, secure: false, sameSite: 'Strict' });
    expect(parseCookies(header.split(';')[0]).get('rpm_session')).toBe(value);
  });
});
