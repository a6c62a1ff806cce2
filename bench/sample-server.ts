import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startProgram, stopChild } from './children.js';
import { BENCH_SUBJECT } from './protocol.js';

const SAMPLE_MAIN = fileURLToPath(new URL('../sample/main.js', import.meta.url));
const BOOT_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

/** The sample app running as `npm start` runs it. */
export interface SampleServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** What the sample's `GET /public` answers. */
export function isPublicAnswer(body: string): boolean {
  return body === '{"ok":true}';
}

/** The sample's `GET /me` answers the token's verified claims: the body differs per token, the `sub` does not. */
export function isMeAnswer(body: string): boolean {
  try {
    return (JSON.parse(body) as { sub?: unknown }).sub === BENCH_SUBJECT;
  } catch {
    return false;
  }
}

// PORT=0 would do, but the sample only prints the port it got; one picked here needs no parsing.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function get(url: string, token?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}

/**
 * Starts the compiled sample (`node dist/sample/main.js`) configured only through its
 * environment, pinned like the bench apps, and checks it before anything is measured:
 * `/public` answers `{"ok":true}`, `/me` the claims with a valid token and 401 without one.
 */
export async function startSample(issuer: string, audience: string, validToken: string, cpu: number | undefined): Promise<SampleServer> {
  const port = await freePort();
  const child = startProgram(SAMPLE_MAIN, { ...process.env, PORT: String(port), AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience }, cpu);
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the sample exited (${child.signalCode ?? child.exitCode}) before serving`);
      const answer = await get(`${base}/public`).catch(() => undefined);
      if (answer?.status === 200 && isPublicAnswer(answer.body)) break;
      if (Date.now() > deadline) throw new Error(`the sample did not serve GET /public within ${BOOT_TIMEOUT_MS} ms`);
      await sleep(POLL_MS);
    }
    const me = await get(`${base}/me`, validToken);
    if (me.status !== 200 || !isMeAnswer(me.body)) throw new Error(`sample GET /me with a valid token answered ${me.status} ${me.body.slice(0, 200)}`);
    const anonymous = await get(`${base}/me`);
    if (anonymous.status !== 401) throw new Error(`sample GET /me without a token answered ${anonymous.status}, expected 401`);
    return { port, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
