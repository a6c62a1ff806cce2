import type { TestIssuerAlgorithm } from '../lib/testing/index.js';

/** Which server app a child process runs. */
export type AppKind = 'none' | 'ours' | 'jose' | 'passport' | 'auth0' | 'minimal';
export type TokenMode = 'repeated' | 'distinct';

export interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly app: AppKind;
  readonly alg: TestIssuerAlgorithm;
  readonly tokens: TokenMode;
  /** Only meaningful for `ours`: the verified-token cache on or off. */
  readonly tokenCache: boolean;
}

export const APP_LABELS: Readonly<Record<AppKind, string>> = {
  none: 'no auth',
  ours: 'nestjs-oidc-bearer',
  passport: 'passport-jwt+jwks-rsa',
  auth0: 'express-oauth2-jwt-bearer',
  jose: 'jose jwtVerify guard',
  minimal: 'reference: minimal crypto.verify guard',
};

const ALGORITHMS: readonly TestIssuerAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];
const MODES: readonly TokenMode[] = ['repeated', 'distinct'];

function scenario(app: AppKind, alg: TestIssuerAlgorithm, tokens: TokenMode, tokenCache: boolean, distinct: number): Scenario {
  const cache = app === 'ours' ? (tokenCache ? ' cache on' : ' cache off') : '';
  const load = tokens === 'repeated' ? 'repeated token' : `${distinct} distinct`;
  return {
    id: [app, alg.toLowerCase(), app === 'ours' ? (tokenCache ? 'cache' : 'nocache') : '', tokens].filter(Boolean).join('-'),
    label: app === 'none' ? 'no auth (ceiling)' : `${APP_LABELS[app]} ${alg}${cache} · ${load}`,
    app,
    alg,
    tokens,
    tokenCache,
  };
}

/** Every HTTP scenario, the no-auth ceiling first. */
export function httpScenarios(distinct: number): Scenario[] {
  const list = [scenario('none', 'RS256', 'repeated', false, distinct)];
  for (const alg of ALGORITHMS) {
    for (const cache of [true, false]) for (const mode of MODES) list.push(scenario('ours', alg, mode, cache, distinct));
  }
  // None of these keeps a verified token, so a repeated token costs them what a distinct one does
  // (measured side by side in earlier runs: within noise for every one): distinct tokens only.
  for (const app of ['jose', 'passport', 'auth0', 'minimal'] as const) list.push(scenario(app, 'RS256', 'distinct', false, distinct));
  return list;
}
