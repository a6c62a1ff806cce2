// The package as npm publishes it, installed into real Nest 11 (CommonJS Nest) and Nest 12
// (ESM-only Nest) apps outside this repo, used from ESM `import` and CommonJS `require()`.
// Needs a build (`npm test` builds first) and the npm registry (or a warm npm cache).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ConsumerApp, REPO_ROOT, packTarball, type PackedTarball } from '../consumer/consumer-app.js';
import type { Finished } from '../consumer/run-bounded.js';
import type { Answer, CjsReport, EsmReport } from '../consumer/consumer-reports.js';

/** Each consumer app and the majors it must end up with (its package.json asks for them). */
const CONSUMERS = [
  { name: 'nest11', nest: 11, config: 4 },
  { name: 'nest12', nest: 12, config: 12 },
] as const;
/** Backstop for a whole `before` (install, compile, run); each child process has its own, shorter bound. */
const HOOK_TIMEOUT_MS = 300_000;
const BARE_CHALLENGE = 'Bearer realm="api"';
const INVALID_TOKEN_CHALLENGE = /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/;

const repoManifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
};

const major = (version: string): number => Number(version.split('.')[0]);

function assertAccepted(answer: Answer, sub: string): void {
  assert.equal(answer.status, 200, `expected 200, got ${JSON.stringify(answer)}`);
  assert.equal(answer.body.sub, sub);
}

function assertRefused(answer: Answer, code: string): void {
  assert.equal(answer.status, 401, `expected 401, got ${JSON.stringify(answer)}`);
  assert.match(answer.challenge ?? '', INVALID_TOKEN_CHALLENGE);
  assert.equal(answer.body.code, code);
}

function assertChallenged(answer: Answer): void {
  assert.equal(answer.status, 401, `expected 401, got ${JSON.stringify(answer)}`);
  assert.equal(answer.challenge, BARE_CHALLENGE);
}

describe('the packed package in consumer apps', () => {
  let workDir: string;
  let tarball: PackedTarball;

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'lib', 'index.js')), 'dist/lib is missing: build first (npm run build)');
    // realpath: Node reports resolved paths, and tmpdir() may be a symlink (macOS).
    workDir = await realpath(await mkdtemp(join(tmpdir(), 'nestjs-oidc-bearer-consumer-')));
    tarball = await packTarball(workDir);
  });
  after(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  describe('the tarball', () => {
    it('ships the built library with its types, the README and the manifest', () => {
      for (const file of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/testing/index.js', 'dist/lib/testing/index.d.ts', 'README.md', 'package.json']) {
        assert.ok(tarball.files.includes(file), `${file} is not in the tarball`);
      }
    });

    it('ships no tests, sample, bench or TypeScript sources', () => {
      const stray = tarball.files.filter(
        (file) => /^(dist\/)?(test|sample|bench)\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts')),
      );
      assert.deepEqual(stray, []);
    });

    it('ships every file the manifest points at', () => {
      const targets = [repoManifest.main, repoManifest.types, ...Object.values(repoManifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)))];
      const missing = targets.map((target) => target.replace(/^\.\//, '')).filter((target) => !tarball.files.includes(target));
      assert.deepEqual(missing, []);
    });

    it('ships no module left over from a deleted source file', () => {
      const orphans = tarball.files
        .filter((file) => file.startsWith('dist/lib/') && file.endsWith('.js'))
        .filter((file) => !existsSync(join(REPO_ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
      assert.deepEqual(orphans, [], 'stale build output: delete dist/ and build again');
    });
  });

  for (const consumer of CONSUMERS) {
    describe(`in a Nest ${consumer.nest} app`, () => {
      let app: ConsumerApp;
      let typeCheck: Finished;

      before(
        async () => {
          app = await ConsumerApp.install(consumer.name, tarball.path, workDir);
          typeCheck = await app.compile();
        },
        { timeout: HOOK_TIMEOUT_MS },
      );

      it(`installs next to Nest ${consumer.nest} and @nestjs/config ${consumer.config}`, async (t) => {
        t.diagnostic(`npm install took ${app.installMs} ms`);
        assert.equal(major(await app.installedVersion('@nestjs/core')), consumer.nest);
        assert.equal(major(await app.installedVersion('@nestjs/common')), consumer.nest);
        assert.equal(major(await app.installedVersion('@nestjs/config')), consumer.config);
        assert.equal(await app.installedVersion('nestjs-oidc-bearer'), repoManifest.version);
      });

      it('type-checks a strict app, library declarations included, against the published types', () => {
        assert.equal(typeCheck.code, 0, `tsc reported:\n${typeCheck.stdout}`);
      });

      describe('from ESM import', () => {
        let report: EsmReport;
        let stderr: string;

        before(
          async () => {
            ({ report, stderr } = await app.check<EsmReport>('check-esm.mjs'));
          },
          { timeout: HOOK_TIMEOUT_MS },
        );

        it('loads the installed tarball and its named exports', (t) => {
          if (stderr !== '') t.diagnostic(`stderr: ${stderr}`);
          assert.ok(report.resolvedFrom.startsWith(pathToFileURL(join(app.dir, 'node_modules', 'nestjs-oidc-bearer')).href), report.resolvedFrom);
          assert.deepEqual(report.exportTypes, { AuthModule: 'function', JwtAuthGuard: 'function', Public: 'function', CurrentUser: 'function' });
        });

        for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
          it(`forRoot: accepts an ${alg} token and hands its claims to @CurrentUser()`, () => {
            const answer = report.forRoot.answers[alg];
            assertAccepted(answer, `alice-${alg}`);
            assert.equal((answer.body.claims as Record<string, unknown>).iss, report.forRoot.issuer);
          });
        }

        it('forRoot: serves @Public() routes without a token', () => {
          assert.deepEqual(report.forRoot.answers.health.body, { ok: true });
        });

        it('forRoot: answers 401 with a bare challenge when no token is sent', () => {
          assertChallenged(report.forRoot.answers.noToken);
        });

        it('forRoot: answers 401 invalid_token for expired and other-audience tokens', () => {
          assertRefused(report.forRoot.answers.expired, 'auth.token_expired');
          assertRefused(report.forRoot.answers.otherAudience, 'auth.token_audience_invalid');
        });

        it('forRoot: a repeated valid token fetches neither discovery nor the JWKS again', () => {
          const { statuses, requestsBefore, requestsAfter } = report.forRoot.repeatedToken;
          assert.deepEqual(statuses, [200, 200, 200]);
          assert.deepEqual(requestsAfter, requestsBefore);
        });

        it('forRootAsync: takes its options from @nestjs/config', () => {
          assertAccepted(report.forRootAsync.valid, 'from-config');
          assertChallenged(report.forRootAsync.noToken);
        });

        it('globalGuard: false: only the @UseGuards(JwtAuthGuard) controller is protected', () => {
          assertChallenged(report.localGuard.guardedNoToken);
          assertAccepted(report.localGuard.guardedValid, 'bob');
          assert.equal(report.localGuard.openNoToken.status, 200);
        });

        it('an issuer down at boot gives 503, then 200 once it is back, without a restart', () => {
          const { whileDown, afterRecover } = report.issuerDownAtBoot;
          assert.equal(whileDown.status, 503, JSON.stringify(whileDown));
          assert.equal(whileDown.body.code, 'auth.issuer_unavailable');
          assertAccepted(afterRecover, 'patient');
        });

        it('rotateKeys(): a token with the new kid is accepted by the running app', () => {
          const { kidBefore, kidAfter, beforeRotation, afterRotation } = report.keyRotation;
          assert.notEqual(kidAfter, kidBefore);
          assertAccepted(beforeRotation, 'before');
          assertAccepted(afterRotation, 'after');
        });
      });

      describe('from CommonJS require()', () => {
        let report: CjsReport;
        let stderr: string;

        before(
          async () => {
            ({ report, stderr } = await app.check<CjsReport>('check-cjs.cjs'));
          },
          { timeout: HOOK_TIMEOUT_MS },
        );

        it('require() loads the installed ESM package', (t) => {
          if (stderr !== '') t.diagnostic(`stderr (e.g. an ExperimentalWarning): ${stderr}`);
          assert.ok(report.resolvedFrom.startsWith(join(app.dir, 'node_modules', 'nestjs-oidc-bearer')), report.resolvedFrom);
        });

        it('forRoot: accepts a valid token and answers 401 without one', () => {
          assertAccepted(report.valid, 'required');
          assertChallenged(report.noToken);
        });
      });
    });
  }
});
