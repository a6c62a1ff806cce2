// Runs every compiled test file with Node's built-in runner (Node 20 does not expand
// globs) and ends with the one-line summary CI reads: "N passed, M failed".
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../dist/test/', import.meta.url).pathname;
const only = process.argv.slice(2);

function specFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(path);
    return entry.name.endsWith('.spec.js') ? [path] : [];
  });
}

const files = specFiles(root)
  .filter((file) => only.length === 0 || only.some((part) => file.includes(part)))
  .sort();
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./test/summary-reporter.mjs',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
