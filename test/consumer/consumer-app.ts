// Packs the package as npm would publish it and installs it into throwaway consumer apps
// (test/consumer/app sources + test/consumer/<name>/package.json), outside this repo.
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBounded, runOrThrow, type Finished } from './run-bounded.js';

/** The repository root, from dist/test/consumer/ where this file runs. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TEMPLATES = join(REPO_ROOT, 'test', 'consumer');
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const PACK_TIMEOUT_MS = 60_000;
/** A cold npm cache downloads ~110 packages per app. */
const INSTALL_TIMEOUT_MS = 180_000;
const COMPILE_TIMEOUT_MS = 120_000;
const CHECK_TIMEOUT_MS = 60_000;

export interface PackedTarball {
  readonly path: string;
  readonly files: readonly string[];
}

/** `npm pack` of the built repository (run `npm run build` first) into `destination`. */
export async function packTarball(destination: string): Promise<PackedTarball> {
  const { stdout } = await runOrThrow('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: REPO_ROOT,
    timeoutMs: PACK_TIMEOUT_MS,
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (packed === undefined) throw new Error(`npm pack printed no package: ${stdout}`);
  return { path: join(destination, packed.filename), files: packed.files.map((file) => file.path) };
}

export interface CheckRun<Report> {
  readonly report: Report;
  /** Whatever the check wrote to stderr (e.g. an ExperimentalWarning); empty when quiet. */
  readonly stderr: string;
}

/** A consumer app installed in its own directory. */
export class ConsumerApp {
  private constructor(
    readonly dir: string,
    readonly installMs: number,
  ) {}

  /** Copies the app and `test/consumer/<name>/package.json` into `parent/<name>`, then installs the tarball with them. */
  static async install(name: string, tarball: string, parent: string): Promise<ConsumerApp> {
    const dir = join(parent, name);
    // Only sources and tsconfig: never a stray local build or install of the template.
    await cp(join(TEMPLATES, 'app'), dir, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
    await cp(join(TEMPLATES, name, 'package.json'), join(dir, 'package.json'));
    // Fails loudly when the registry is unreachable: there is no offline fallback to skip to.
    const installed = await runOrThrow('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
      timeoutMs: INSTALL_TIMEOUT_MS,
    }).catch((error: unknown) => {
      // npm reports an unreachable registry as ERESOLVE "Found: @nestjs/common@undefined",
      // which reads like a peer-range conflict: name both causes.
      throw new Error(
        `npm install of the ${name} consumer app failed: it needs the npm registry (or a warm npm cache), ` +
          "and the package's peer ranges must accept this app's Nest major. npm's answer is the cause below.",
        { cause: error },
      );
    });
    return new ConsumerApp(dir, installed.elapsedMs);
  }

  /** The `version` of an installed package. */
  async installedVersion(packageName: string): Promise<string> {
    const manifest = JSON.parse(await readFile(join(this.dir, 'node_modules', packageName, 'package.json'), 'utf8')) as { version: string };
    return manifest.version;
  }

  /** Type-checks and compiles the app with this repo's TypeScript; it emits even when types fail. */
  compile(): Promise<Finished> {
    return runBounded(process.execPath, [TSC, '-p', this.dir], { cwd: this.dir, timeoutMs: COMPILE_TIMEOUT_MS });
  }

  /** Runs a compiled entry point (`dist/<entry>`), which prints one JSON line as its last output. */
  async check<Report>(entry: string): Promise<CheckRun<Report>> {
    const finished = await runOrThrow(process.execPath, [join(this.dir, 'dist', entry)], { cwd: this.dir, timeoutMs: CHECK_TIMEOUT_MS });
    const lastLine = finished.stdout.trimEnd().split('\n').at(-1) ?? '';
    try {
      return { report: JSON.parse(lastLine) as Report, stderr: finished.stderr };
    } catch {
      throw new Error(`${entry} did not end with a JSON line:\n${finished.stdout}\n${finished.stderr}`);
    }
  }
}
