// The ESM entry of the consumer app: `import` from the installed tarball, run every
// scenario, print one JSON line. Any throw exits non-zero with the reason on stderr.
import 'reflect-metadata';
import { AuthModule, CurrentUser, JwtAuthGuard, Public } from 'nestjs-oidc-bearer';
import { forRoot, forRootAsync, issuerDownAtBoot, keyRotation, localGuard } from './scenarios.mjs';

const exported = { AuthModule, JwtAuthGuard, Public, CurrentUser };

try {
  const result = {
    entry: 'esm',
    resolvedFrom: import.meta.resolve('nestjs-oidc-bearer'),
    exportTypes: Object.fromEntries(Object.entries(exported).map(([name, value]) => [name, typeof value])),
    forRoot: await forRoot(),
    forRootAsync: await forRootAsync(),
    localGuard: await localGuard(),
    issuerDownAtBoot: await issuerDownAtBoot(),
    keyRotation: await keyRotation(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  console.error('consumer ESM check failed:', error);
  process.exitCode = 1;
}
