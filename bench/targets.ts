import type { ScenarioSummary } from './http-rounds.js';
import type { KidFloodResult } from './kid-flood.js';
import type { MicroSummary } from './micro.js';
import type { MemoryComparison, MemoryReport } from './protocol.js';
import type { SampleRoute, SampleRow } from './sample-rounds.js';
import type { Scenario } from './scenarios.js';

export interface TargetCheck {
  readonly target: string;
  readonly pass: boolean;
  readonly detail: string;
}

export interface Measurements {
  readonly http: readonly ScenarioSummary[];
  readonly sample: readonly SampleRow[];
  readonly micro: readonly MicroSummary[];
  readonly kidFlood: readonly KidFloodResult[];
  readonly memory?: MemoryComparison;
  readonly memoryProblem?: string;
}

const MB = 1024 * 1024;

function pick(http: readonly ScenarioSummary[], match: (scenario: Scenario) => boolean): ScenarioSummary[] {
  return http.filter((summary) => match(summary.scenario));
}

function ratioCheck(target: string, summaries: readonly ScenarioSummary[], floor: number): TargetCheck {
  const failing = summaries.filter((s) => !s.valid || !(s.ratioToNoAuth >= floor));
  const detail = summaries.map((s) => `${s.scenario.alg} ${s.valid ? `${s.ratioToNoAuth.toFixed(2)}×` : 'invalid'}`).join(', ');
  return { target, pass: summaries.length > 0 && failing.length === 0, detail };
}

function aheadCheck(http: readonly ScenarioSummary[]): TargetCheck {
  const ours = pick(http, (s) => s.app === 'ours' && s.alg === 'RS256');
  const alternatives = pick(http, (s) => s.app === 'jose' || s.app === 'passport' || s.app === 'auth0');
  // The minimal guard does strictly less than any library (no header policy, grammar, refetch or
  // RFC 6750 answers): ours is held ahead of it as users run it, with the default cache on.
  const reference = pick(http, (s) => s.app === 'minimal');
  const losses: string[] = [];
  const compare = (mine: ScenarioSummary, other: ScenarioSummary): void => {
    const ahead = mine.valid && (!other.valid || mine.requestsPerSecond > other.requestsPerSecond);
    if (!ahead) losses.push(`${mine.scenario.id} vs ${other.scenario.id}`);
  };
  // The alternatives run distinct tokens only (a repeated one costs them the same): every row of ours is compared.
  for (const alternative of alternatives) for (const mine of ours) compare(mine, alternative);
  for (const minimal of reference) for (const mine of ours.filter((s) => s.scenario.tokenCache)) compare(mine, minimal);
  const margins = [...alternatives, ...reference].map((other) => {
    const mine = ours.find((s) => s.scenario.tokens === 'distinct' && s.scenario.tokenCache === (other.scenario.app === 'minimal'));
    const cache = other.scenario.app === 'minimal' ? 'cache on' : 'cache off';
    return `${other.scenario.id}: ours (${cache}) ${mine ? (mine.requestsPerSecond / other.requestsPerSecond).toFixed(2) : '?'}×`;
  });
  return {
    target: 'ahead of every alternative (RS256; every row of ours against the libraries, the rows with the default cache on against the minimal guard)',
    pass: ours.length > 0 && alternatives.length > 0 && losses.length === 0,
    detail: losses.length > 0 ? `behind in: ${losses.join('; ')}` : margins.join('; '),
  };
}

/** Adds what the minimal crypto.verify guard (the issue's "practical limit") reached in the same run as `ours`. */
function withReference(check: TargetCheck, ours: ScenarioSummary | undefined, http: readonly ScenarioSummary[]): TargetCheck {
  const [minimal] = pick(http, (s) => s.app === 'minimal');
  if (minimal === undefined || !minimal.valid || ours === undefined) return check;
  const share = ours.ratioToNoAuth / minimal.ratioToNoAuth;
  return { ...check, detail: `${check.detail}; minimal crypto.verify guard ${minimal.ratioToNoAuth.toFixed(2)}× (ours ${share.toFixed(2)} of it)` };
}

function sampleCheck(target: string, rows: readonly SampleRow[], route: SampleRoute, floor: number): TargetCheck {
  const row = rows.find((r) => r.route === route);
  const baseline = rows.find((r) => r.route === 'public');
  const valid = row !== undefined && row.valid && baseline !== undefined && baseline.valid;
  return {
    target,
    pass: valid && row.ratio >= floor,
    detail: valid ? `${row.ratio.toFixed(2)}× (${row.requestsPerSecond.toFixed(0)} vs ${baseline.requestsPerSecond.toFixed(0)} req/s)` : 'invalid',
  };
}

/** PASS/FAIL for every target of the issue, from this run's figures only. */
export function checkTargets(m: Measurements): TargetCheck[] {
  const cacheOffDistinct = pick(m.http, (s) => s.app === 'ours' && !s.tokenCache && s.tokens === 'distinct' && s.alg === 'RS256');
  const checks: TargetCheck[] = [
    ratioCheck('repeated token, cache on ≥ 0.95× no-auth', pick(m.http, (s) => s.app === 'ours' && s.tokenCache && s.tokens === 'repeated'), 0.95),
    withReference(ratioCheck('2,000 distinct RS256, cache off ≥ 0.63× no-auth', cacheOffDistinct, 0.63), cacheOffDistinct[0], m.http),
  ];
  checks.push(
    sampleCheck('sample /me repeated token ≥ 0.90× its /public', m.sample, 'me-repeated', 0.9),
    sampleCheck('sample /me 2,000 distinct RS256 ≥ 0.60× its /public', m.sample, 'me-distinct', 0.6),
  );
  const rs256 = m.micro.find((s) => s.alg === 'RS256');
  checks.push({
    target: 'CPU per verification ≤ 1.5× raw crypto.verify (RS256)',
    pass: rs256 !== undefined && rs256.oursOverRaw <= 1.5,
    detail: m.micro.map((s) => `${s.alg} ${s.oursOverRaw.toFixed(2)}×`).join(', '),
  });
  const flood = m.kidFlood.find((r) => r.app === 'ours');
  checks.push({
    target: 'kid flood ≤ 1 JWKS fetch per cooldown window',
    pass: flood !== undefined && flood.problem === undefined && flood.allowedFetches !== undefined && flood.jwksFetches <= flood.allowedFetches,
    detail: flood === undefined ? 'not run' : (flood.problem ?? `${flood.jwksFetches} fetch(es) for ${flood.tokens} tokens in ${flood.seconds.toFixed(2)} s (allowed ${flood.allowedFetches})`),
  });
  const growth = (r: MemoryReport): number => (r.rssAfter - r.rssBefore) / MB;
  checks.push({
    target: `RSS growth < 50 MB after ${m.memory?.cache.tokens.toLocaleString('en') ?? '?'} distinct tokens through the cache`,
    // A cache that ended below its bound held less than the target means: the figure would flatter it.
    pass: m.memory !== undefined && growth(m.memory.cache) < 50 && m.memory.cache.cacheSize === m.memory.cache.maxEntries,
    detail:
      m.memory === undefined
        ? (m.memoryProblem ?? 'not run')
        : `${growth(m.memory.cache).toFixed(1)} MB with ${m.memory.cache.cacheSize.toLocaleString('en')} of ${m.memory.cache.maxEntries.toLocaleString('en')} entries held, ` +
          `of which the harness's own churn (maxEntries 1) ${growth(m.memory.churnOnly).toFixed(1)} MB`,
  });
  checks.push(aheadCheck(m.http));
  return checks;
}
