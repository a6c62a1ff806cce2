// What a client sees from one request. CommonJS so both entry points (ESM and require())
// share it; it imports nothing from Nest or the package under test.

export interface Answer {
  status: number;
  challenge: string | null;
  body: unknown;
}

/** GET `url + path`, with `Authorization: Bearer <token>` when a token is given. */
export async function probe(url: string, path: string, token?: string): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text, the spec reports it
  }
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body };
}

/** Probes every `intervalMs` until `done(answer)` or `boundMs` ran out; returns the last answer. */
export async function probeUntil(
  request: () => Promise<Answer>,
  done: (answer: Answer) => boolean,
  boundMs: number,
  intervalMs = 100,
): Promise<Answer> {
  const deadline = Date.now() + boundMs;
  let answer = await request();
  while (!done(answer) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    answer = await request();
  }
  return answer;
}

/** The `kid` in a compact JWT's protected header. */
export function kidOf(token: string): unknown {
  const header: unknown = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
  return (header as { kid?: unknown }).kid;
}
