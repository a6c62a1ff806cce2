import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';

/**
 * Decoded protected headers, by their encoded segment. An issuer signs all its tokens with a
 * handful of headers (one per key and token type), so jose decodes each one once instead of
 * once per token — the header is a third of the decoding work of a fresh token. Bounded, oldest
 * first out: a client sending endless distinct headers only makes it forget, never grow.
 */
export class HeaderMemo {
  private readonly decoded = new Map<string, ProtectedHeaderParameters>();

  constructor(private readonly maxEntries: number) {}

  /** The header of `token`, whose first segment is `segment`; throws as jose does for a bad one. */
  decode(token: string, segment: string): ProtectedHeaderParameters {
    let header = this.decoded.get(segment);
    if (header === undefined) {
      // Shared by every token that carries this segment: nothing may change it.
      header = Object.freeze(decodeProtectedHeader(token) as ProtectedHeaderParameters);
      if (this.decoded.size >= this.maxEntries) this.decoded.delete(this.decoded.keys().next().value as string);
      this.decoded.set(segment, header);
    }
    return header;
  }
}
