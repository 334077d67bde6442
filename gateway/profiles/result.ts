/** What every decoder returns: a typed value, or why the bytes were refused. Decoders never throw. */
export type DecodeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export class TruncatedPayload extends Error {}
export class InvalidPayload extends Error {}

/** Runs a decoder body and turns any failure into `{ ok: false }`: radio data is untrusted. */
export function decodeSafely<T>(body: () => T): DecodeResult<T> {
  try {
    return { ok: true, value: body() };
  } catch (err) {
    if (err instanceof TruncatedPayload || err instanceof InvalidPayload) return { ok: false, reason: err.message };
    return { ok: false, reason: `decoder error: ${(err as Error).message}` };
  }
}
