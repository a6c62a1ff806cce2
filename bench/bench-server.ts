import type { ChildProcess } from 'node:child_process';
import { nextMessage, startChild, stopChild } from './children.js';
import { ME_BODY, type ServerCommand, type ServerConfig } from './protocol.js';

const BOOT_TIMEOUT_MS = 30_000;
const IPC_TIMEOUT_MS = 5_000;

/** A scenario's server child, booted and checked. */
export interface BenchServer {
  readonly port: number;
  /** Runs `work` and returns the server's CPU time (user + system, all threads) spent meanwhile, in µs. */
  measureCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuMicros: number }>;
  stop(): Promise<void>;
}

function command(child: ChildProcess, message: ServerCommand): void {
  child.send(message);
}

/**
 * Boots the app in a child and checks it is what it claims to be before anything is measured:
 * `/me` answers the expected body with a valid token, and (unless it is the no-auth app)
 * 401 without one.
 */
export async function startBenchServer(config: ServerConfig, validToken: string, cpu: number | undefined): Promise<BenchServer> {
  const child = startChild('./server.js', [JSON.stringify(config)], { cpu });
  try {
    const { port } = await nextMessage(child, 'ready', BOOT_TIMEOUT_MS);
    await checkServes(port, validToken, config.app !== 'none');
    return {
      port,
      async measureCpu(work) {
        command(child, { type: 'cpu-start' });
        await nextMessage(child, 'cpu-started', IPC_TIMEOUT_MS);
        const result = await work();
        command(child, { type: 'cpu-stop' });
        const used = await nextMessage(child, 'cpu', IPC_TIMEOUT_MS);
        return { result, cpuMicros: used.userMicros + used.systemMicros };
      },
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function checkServes(port: number, token: string, protectedRoute: boolean): Promise<void> {
  const url = `http://127.0.0.1:${port}/me`;
  const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  const body = await ok.text();
  if (ok.status !== 200 || body !== ME_BODY) throw new Error(`GET /me with a valid token answered ${ok.status} ${body.slice(0, 200)}`);
  const anonymous = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  await anonymous.arrayBuffer();
  const expected = protectedRoute ? 401 : 200;
  if (anonymous.status !== expected) throw new Error(`GET /me without a token answered ${anonymous.status}, expected ${expected}`);
}
