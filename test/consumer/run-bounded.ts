import { spawn } from 'node:child_process';

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

export interface RunOptions {
  readonly cwd: string;
  /** The child and everything it started are killed after this long, and the call rejects. */
  readonly timeoutMs: number;
}

/**
 * Runs a command to completion. The child leads its own process group, so a timeout kills
 * npm's or node's own children too, not just the first process.
 */
export function runBounded(command: string, args: readonly string[], options: RunOptions): Promise<Finished> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`\`${command} ${args.join(' ')}\` did not finish within ${options.timeoutMs} ms; killed.\n${tail(stderr || stdout)}`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, elapsedMs: Math.round(performance.now() - started) });
    });
  });
}

/** Like `runBounded`, but a non-zero exit rejects with the command and the end of its output. */
export async function runOrThrow(command: string, args: readonly string[], options: RunOptions): Promise<Finished> {
  const finished = await runBounded(command, args, options);
  if (finished.code !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` in ${options.cwd} exited with ${finished.code}:\n${tail(finished.stderr || finished.stdout)}`);
  }
  return finished;
}

/** The last lines of a command's output, enough to see why it failed. */
export function tail(output: string, lines = 30): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}
