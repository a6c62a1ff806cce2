import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './protocol.js';

const running = new Set<ChildProcess>();
const hasTaskset = process.platform === 'linux' && spawnSync('taskset', ['-V']).status === 0;

/** The core a server child is pinned to, or undefined when pinning is off or impossible. */
export function serverCpu(pin: boolean): number | undefined {
  const count = cpus().length;
  return pin && hasTaskset && count >= 2 ? count - 1 : undefined;
}

/** Keeps the load generator (this process, all its threads) off the server's core. */
export function pinSelfAwayFrom(cpu: number | undefined): void {
  if (cpu === undefined) return;
  spawnSync('taskset', ['-a', '-p', '-c', `0-${cpu - 1}`, String(process.pid)], { stdio: 'ignore' });
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** The program and leading arguments that run Node, through `taskset` (every thread on one core) when pinned. */
function nodeLauncher(cpu: number | undefined): [command: string, prefix: string[]] {
  return cpu === undefined ? [process.execPath, []] : ['taskset', ['-c', String(cpu), process.execPath]];
}

/** Forks a compiled bench script (`./server.js`, `./memory.js`) with an IPC channel, optionally pinned to one core. */
export function startChild(script: string, args: readonly string[], options: { cpu?: number; execArgv?: string[] } = {}): ChildProcess {
  const modulePath = fileURLToPath(new URL(script, import.meta.url));
  const [execPath, prefix] = nodeLauncher(options.cpu);
  return track(fork(modulePath, [...args], { execPath, execArgv: [...prefix, ...(options.execArgv ?? [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/**
 * Runs a Node program as a plain child (no IPC), as a user would start it, optionally pinned to
 * one core. Its stdout is dropped: ours is the report; its stderr is shown.
 */
export function startProgram(modulePath: string, env: NodeJS.ProcessEnv, cpu: number | undefined): ChildProcess {
  const [command, prefix] = nodeLauncher(cpu);
  return track(spawn(command, [...prefix, modulePath], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
}

/** The next message of this type from the child; rejects if it fails, exits or takes too long. */
export function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error(`no "${type}" from child ${child.pid} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ChildMessage): void => {
      if (message.type === type) settle(undefined, message as Extract<ChildMessage, { type: T }>);
      else if (message.type === 'failed') settle(new Error(`child ${child.pid} failed: ${message.message}`));
    };
    const onExit = (code: number | null, signal: string | null): void =>
      settle(new Error(`child ${child.pid} exited (${signal ?? code}) while waiting for "${type}"`));
    function settle(error: Error | undefined, message?: Extract<ChildMessage, { type: T }>): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error !== undefined) reject(error);
      else resolve(message as Extract<ChildMessage, { type: T }>);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Kills one child and waits for it to be gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Kills every child still running; safe to call from an `exit` handler (synchronous). */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
