import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { TestIssuer } from '../lib/testing/index.js';
import { killAllChildren, nextMessage, pinSelfAwayFrom, serverCpu, startChild, stopChild } from './children.js';
import { benchConfig, type BenchConfig } from './config.js';
import { runHttpRounds } from './http-rounds.js';
import { runKidFlood } from './kid-flood.js';
import { machineInfo } from './machine.js';
import { runMicro } from './micro.js';
import { BENCH_AUDIENCE, type MemoryComparison, type MemoryReport } from './protocol.js';
import { formatReport } from './report.js';
import { runSampleRounds } from './sample-rounds.js';
import { httpScenarios } from './scenarios.js';
import { ratioChart } from './svg.js';
import { checkTargets } from './targets.js';
import { signBenchTokens } from './tokens.js';

// `npm run bench`: every HTTP scenario side by side in rounds, each paired with the no-auth
// ceiling; the sample app's /me against its own /public; then the micro-benchmark, the kid
// flood and the cache memory check; a table on stdout, bench/results.json and
// bench/results.svg. Progress goes to stderr.

const RESULTS_DIR = new URL('../../bench/', import.meta.url);
const started = Date.now();

function log(line: string): void {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

async function measureMemory(config: BenchConfig, maxEntries: number): Promise<MemoryReport> {
  const child = startChild('./memory.js', [String(config.memoryTokens), String(maxEntries)], { execArgv: ['--expose-gc'] });
  try {
    return (await nextMessage(child, 'memory', 300_000)).report;
  } finally {
    await stopChild(child);
  }
}

async function main(): Promise<void> {
  const config = benchConfig();
  const cpu = serverCpu(config.pinCpus);
  pinSelfAwayFrom(cpu);
  const machine = machineInfo(cpu);
  const issuer = await TestIssuer.start({ audience: BENCH_AUDIENCE });
  try {
    log(`signing ${config.distinctTokens} distinct tokens per algorithm and ${config.floodTokens} unknown-kid tokens…`);
    const tokens = await signBenchTokens(issuer, config.distinctTokens, config.floodTokens);
    const scenarios = httpScenarios(config.distinctTokens);
    log(`HTTP: ${scenarios.length} scenarios × ${config.rounds} round(s)`);
    const http = await runHttpRounds(scenarios, config, issuer, tokens, cpu, log);
    log(`sample app (dist/sample/main.js): GET /me against its own GET /public × ${config.rounds} round(s)`);
    const sample = await runSampleRounds(config, issuer, tokens, cpu, log);
    log('micro-benchmark…');
    const micro = await runMicro(issuer, tokens, config.microRounds, config.microMillis);
    log('kid flood…');
    const kidFlood = await runKidFlood(config, issuer, tokens, cpu);
    log(`memory: ${config.memoryTokens} tokens through the verified-token cache…`);
    let memory: MemoryComparison | undefined;
    let memoryProblem: string | undefined;
    try {
      memory = { cache: await measureMemory(config, config.memoryMaxEntries), churnOnly: await measureMemory(config, 1) };
    } catch (error) {
      memoryProblem = error instanceof Error ? error.message : String(error);
    }
    const measurements = { http, sample, micro, kidFlood, memory, memoryProblem };
    const targets = checkTargets(measurements);
    const finishedAt = new Date().toISOString();
    process.stdout.write(`${formatReport(config, machine, measurements, targets, loadavg()[0] ?? Number.NaN)}\n`);
    await writeFile(new URL('results.json', RESULTS_DIR), `${JSON.stringify({ finishedAt, machine, config, ...measurements, targets }, null, 2)}\n`);
    await writeFile(new URL('results.svg', RESULTS_DIR), ratioChart(http, machine, finishedAt));
    log(`wrote bench/results.json and bench/results.svg in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await issuer.stop();
  }
}

process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}
main().catch((error: unknown) => {
  killAllChildren();
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
