// The JSON lines the consumer app's entry points print (test/consumer/app/src/check-*.?ts).
// They report what a client saw; the spec decides what is right.

export interface Answer {
  readonly status: number;
  readonly challenge: string | null;
  readonly body: Record<string, unknown>;
}

export interface FetchCounts {
  readonly discovery: number;
  readonly jwks: number;
}

export interface EsmReport {
  readonly entry: 'esm';
  /** `import.meta.resolve('nestjs-oidc-bearer')`: a file URL. */
  readonly resolvedFrom: string;
  readonly exportTypes: Record<'AuthModule' | 'JwtAuthGuard' | 'Public' | 'CurrentUser', string>;
  readonly forRoot: {
    readonly issuer: string;
    readonly answers: Record<'RS256' | 'ES256' | 'EdDSA' | 'health' | 'noToken' | 'expired' | 'otherAudience', Answer>;
    readonly repeatedToken: { readonly statuses: number[]; readonly requestsBefore: FetchCounts; readonly requestsAfter: FetchCounts };
  };
  readonly forRootAsync: { readonly valid: Answer; readonly noToken: Answer };
  readonly localGuard: { readonly guardedNoToken: Answer; readonly guardedValid: Answer; readonly openNoToken: Answer };
  readonly issuerDownAtBoot: { readonly whileDown: Answer; readonly afterRecover: Answer };
  readonly keyRotation: { readonly kidBefore: unknown; readonly kidAfter: unknown; readonly beforeRotation: Answer; readonly afterRotation: Answer };
}

export interface CjsReport {
  readonly entry: 'cjs';
  /** `require.resolve('nestjs-oidc-bearer')`: a path. */
  readonly resolvedFrom: string;
  readonly valid: Answer;
  readonly noToken: Answer;
}
