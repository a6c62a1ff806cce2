/** Largest discovery document or JWKS accepted, in bytes. Real ones are a few KiB. */
const MAX_BODY_BYTES = 512 * 1024;

/** Why a metadata or key-set fetch failed; carries no response content. */
export class IssuerFetchError extends Error {
  /**
   * True when no answer came at all (timeout, refused or reset connection), as opposed to an
   * error status or an unreadable body: asking the same host at another path will not help.
   */
  readonly unreachable: boolean;

  constructor(message: string, options?: { cause?: unknown; unreachable?: boolean }) {
    super(message, options);
    this.name = 'IssuerFetchError';
    this.unreachable = options?.unreachable ?? false;
  }
}

function isStaleSocket(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

async function readCapped(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) throw new IssuerFetchError(`response larger than ${MAX_BODY_BYTES} bytes`);
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new IssuerFetchError(`response larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function fetchOnce(url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal, redirect: 'error', headers: { accept: 'application/json' } });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new IssuerFetchError(`HTTP ${response.status}`);
  }
  const text = await readCapped(response);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new IssuerFetchError('response is not JSON', { cause });
  }
}

function asFetchError(error: unknown, timeoutMs: number): IssuerFetchError {
  if (error instanceof IssuerFetchError) return error;
  const reason = (error as Error)?.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'request failed';
  return new IssuerFetchError(reason, { cause: error, unreachable: true });
}

/**
 * GETs a JSON document from the issuer with a hard deadline, no redirects and a size cap.
 * A keep-alive socket that the issuer closed (e.g. after a restart) fails the first
 * attempt with a socket error; that one case is retried once on a fresh connection.
 */
export async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  // One deadline covers connect, headers and body of both attempts, so neither a server that
  // trickles bytes nor the retry can hold a waiting request longer than `timeoutMs`.
  const signal = AbortSignal.timeout(timeoutMs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(url, signal);
    } catch (error) {
      if (attempt === 1 && isStaleSocket(error)) continue;
      throw asFetchError(error, timeoutMs);
    }
  }
}
