import type { AppKind } from './scenarios.js';

/** What a server child builds; passed as JSON in argv[2]. */
export interface ServerConfig {
  readonly app: AppKind;
  readonly issuer: string;
  readonly audience: string;
  /** `ours` only. */
  readonly tokenCache: boolean;
  /** Unknown-`kid` refetch cooldown, for the kid flood; the library default when unset. */
  readonly jwksCooldownMs?: number;
}

/** The `aud` of every benchmark token, and what every app (and the sample, as `AUTH_AUDIENCE`) accepts. */
export const BENCH_AUDIENCE = 'https://api.test';

/** The `sub` of every benchmark token, and what every `/me` answers. */
export const BENCH_SUBJECT = 'bench-user';
export const ME_BODY = JSON.stringify({ sub: BENCH_SUBJECT });

/** Parent → server child. */
export type ServerCommand = { type: 'cpu-start' } | { type: 'cpu-stop' };

/** Child → parent. */
export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'cpu-started' }
  | { type: 'cpu'; userMicros: number; systemMicros: number }
  | { type: 'memory'; report: MemoryReport }
  | { type: 'failed'; message: string };

/** The cache at its default size, and the same harness with `maxEntries: 1`: the harness's own churn. */
export interface MemoryComparison {
  readonly cache: MemoryReport;
  readonly churnOnly: MemoryReport;
}

export interface MemoryReport {
  readonly tokens: number;
  /** Tokens sent through a cache of one entry before "before" was taken. */
  readonly warmupTokens: number;
  readonly tokenChars: number;
  readonly maxEntries: number;
  readonly cacheSize: number;
  readonly rssBefore: number;
  readonly rssAfter: number;
  readonly rssPeak: number;
  readonly heapUsedBefore: number;
  readonly heapUsedAfter: number;
  readonly seconds: number;
}
