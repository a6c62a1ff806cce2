import type { BenchConfig } from './config.js';
import type { MachineInfo } from './machine.js';
import { MICRO_LABELS, type MicroVariant } from './micro.js';
import type { PairedRun } from './paired-rounds.js';
import { median } from './stats.js';
import type { Measurements, TargetCheck } from './targets.js';

const MB = 1024 * 1024;

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The order `measurePaired` runs the windows in, as words. */
function windowOrder(pairs: number): string {
  return Array.from({ length: pairs }, (_, pair) => (pair % 2 === 0 ? 'ceiling, scenario' : 'scenario, ceiling')).join(', ');
}

function validity(row: { readonly valid: boolean; readonly runs: readonly PairedRun[] }): string {
  return row.valid ? 'yes' : `NO: ${row.runs.find((r) => r.problem !== undefined)?.problem ?? ''}`.slice(0, 120);
}

/** The whole report as printed on stdout. */
export function formatReport(config: BenchConfig, machine: MachineInfo, m: Measurements, targets: readonly TargetCheck[], endLoad: number): string {
  const out: string[] = [];
  out.push(`Machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}`);
  out.push(
    `Run: ${config.quick ? 'QUICK smoke run (BENCH_QUICK=1) — not a measurement' : 'full'}; ${config.rounds} round(s); ` +
      `per round one warm no-auth ceiling child, and per scenario a fresh child warmed with ${config.warmupRequests} requests + ${config.warmupSeconds} s, then ` +
      `alternating ${config.windowSeconds} s windows (${windowOrder(config.windowPairs)}; only one child under load at a time, both sent the scenario's tokens), ` +
      `${config.connections} connections, pipelining 1; ` +
      `server ${machine.serverCpu === undefined ? 'not pinned' : `pinned to core ${machine.serverCpu}, load generator on the others`}; ` +
      `load average ${fixed(machine.loadAverageAtStart, 2)} → ${fixed(endLoad, 2)}`,
  );
  out.push('');
  out.push(
    'HTTP: GET /me on loopback (req/s and latencies: medians over windows; CPU and ratio: medians over rounds; ' +
      "ratio = req/s over the no-auth ceiling's in the paired windows)",
  );
  out.push(
    table(
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'server CPU', '× no-auth', 'valid'],
      m.http.map((s) => [
        s.scenario.label,
        fixed(s.requestsPerSecond, 0),
        fixed(s.p50Ms, 2),
        fixed(s.p99Ms, 2),
        fixed(s.cpuMicrosPerRequest, 0),
        `${fixed(s.serverCpuShare * 100, 0)}%`,
        fixed(s.ratioToNoAuth, 2),
        validity(s),
      ]),
    ),
  );
  const ceiling = m.http.find((s) => s.scenario.app === 'none');
  if (ceiling !== undefined && ceiling.serverCpuShare < 0.9) {
    const client = median(ceiling.runs.flatMap((run) => run.windows.map((window) => window.clientCpuShare)));
    out.push(
      `WARNING: the no-auth server used only ${fixed(ceiling.serverCpuShare * 100, 0)}% of its core (load generator: ${fixed(client * 100, 0)}% of a core): ` +
        `${client >= 0.9 ? 'the load generator' : 'round-trip latency'}, not the server, capped the ceiling, so ratios read higher than on a saturated server ` +
        '(try BENCH_CONNECTIONS=50).',
    );
  }
  out.push('');
  out.push(
    'Sample app as `npm start` runs it (dist/sample/main.js, PORT/AUTH_ISSUER/AUTH_AUDIENCE, default options: token cache on), ' +
      'pinned like the bench apps: GET /me against the same process\'s GET /public, paired windows as above',
  );
  out.push(
    table(
      ['route', 'req/s', 'p50 ms', 'p99 ms', '× /public', 'valid'],
      m.sample.map((r) => [r.label, fixed(r.requestsPerSecond, 0), fixed(r.p50Ms, 2), fixed(r.p99Ms, 2), fixed(r.ratio, 2), validity(r)]),
    ),
  );
  out.push('');
  out.push(`Micro: verifications of ${config.distinctTokens} distinct tokens in one process (medians of ${config.microRounds} round(s) × ${config.microMillis} ms)`);
  const variants: readonly MicroVariant[] = ['raw', 'ours', 'jose'];
  out.push(
    table(
      ['alg', ...variants.flatMap((v) => [`${v} /s`, `${v} µs`]), 'CPU per verification vs raw crypto.verify'],
      m.micro.map((s) => [
        s.alg,
        ...variants.flatMap((v) => [fixed(s.figures[v].verificationsPerSecond, 0), fixed(s.figures[v].cpuMicrosPerVerification, 1)]),
        `${fixed(s.oursOverRaw, 2)}×`,
      ]),
    ),
  );
  out.push(variants.map((v) => `  ${v}: ${MICRO_LABELS[v]}`).join('\n'));
  out.push('');
  out.push(`Kid flood: ${config.floodTokens} RS256 tokens with random unknown kids, each sent once; JWKS fetches counted at the issuer`);
  out.push(
    table(
      ['library', 'fetches', 'seconds', 'refetch limit', 'answers'],
      m.kidFlood.map((r) => [r.app, fixed(r.jwksFetches, 0), fixed(r.seconds, 2), r.limit, r.problem ?? JSON.stringify(r.statusCounts)]),
    ),
  );
  out.push('');
  if (m.memory === undefined) {
    out.push(`Memory: not measured (${m.memoryProblem ?? 'skipped'})`);
  } else {
    const { cache, churnOnly } = m.memory;
    out.push(
      `Memory: VerifiedTokenCache driven directly (not through HTTP; tokens not signed) with ${cache.tokens.toLocaleString('en')} distinct ` +
        `token-sized strings (~${cache.tokenChars} chars) and claims objects, get-then-set as the verifier does, each run in a fresh process; ` +
        `"before" is taken after ${cache.warmupTokens.toLocaleString('en')} warm-up tokens through a cache that keeps nothing (V8's young generation already grown):`,
    );
    for (const [label, r] of [[`maxEntries ${cache.maxEntries} (default)`, cache], ['maxEntries 1 (harness churn only)', churnOnly]] as const) {
      out.push(
        `  ${label.padEnd(34)} RSS ${fixed(r.rssBefore / MB, 1)} → ${fixed(r.rssAfter / MB, 1)} MB after GC (growth ${fixed((r.rssAfter - r.rssBefore) / MB, 1)} MB, ` +
          `peak +${fixed((r.rssPeak - r.rssBefore) / MB, 1)} MB); heap used ${fixed(r.heapUsedBefore / MB, 1)} → ${fixed(r.heapUsedAfter / MB, 1)} MB; ` +
          `${r.cacheSize} entries kept; ${fixed(r.seconds, 1)} s`,
      );
    }
  }
  out.push('');
  out.push('Targets');
  for (const t of targets) out.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.target} — ${t.detail}`);
  return out.join('\n');
}
