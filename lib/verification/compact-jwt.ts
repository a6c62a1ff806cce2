import { base64url, decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { tokenError } from '../errors/token-errors.js';

/** A compact JWS split into what verification needs; nothing here is trusted yet. */
export interface CompactJwt {
  readonly header: ProtectedHeaderParameters;
  readonly claims: JWTPayload;
  readonly signingInput: Buffer;
  readonly signature: Uint8Array;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Parses a compact JWS with jose's decoders, after a strict shape check: exactly three
 * non-empty base64url segments (so JWE, JSON serialization and unsecured JWTs never get
 * further) and a signature in canonical base64url, so one signature has one spelling.
 */
export function parseCompactJwt(token: string): CompactJwt {
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  if (first <= 0 || last === first || token.indexOf('.', first + 1) !== last || last === token.length - 1) {
    throw tokenError('malformed');
  }
  const encodedSignature = token.slice(last + 1);
  if (!SEGMENT.test(token.slice(0, first)) || !SEGMENT.test(token.slice(first + 1, last)) || !SEGMENT.test(encodedSignature)) {
    throw tokenError('malformed');
  }
  try {
    const signature = base64url.decode(encodedSignature);
    // Re-encoding jose's bytes tells whether unused trailing bits were set. Node's encoder is
    // only compared against, never trusted to decode, and costs a tenth of jose's on Node 20.
    const canonical = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64url');
    if (canonical !== encodedSignature) throw tokenError('malformed');
    return {
      header: decodeProtectedHeader(token) as ProtectedHeaderParameters,
      claims: decodeJwt(token),
      signingInput: Buffer.from(token.slice(0, last), 'latin1'),
      signature,
    };
  } catch (cause) {
    throw tokenError('malformed', cause);
  }
}
