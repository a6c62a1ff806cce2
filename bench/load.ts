import autocannon from 'autocannon';

/** One autocannon run against one route, with exact latency percentiles. */
export interface LoadResult {
  readonly seconds: number;
  /** Responses received in the window (any status). */
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Answers whose body failed `verifyBody`. */
  readonly mismatches: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** This process's CPU time over wall time during the run (1 = one core): is the load generator the bottleneck? */
  readonly clientCpuShare: number;
}

export interface LoadOptions {
  readonly port: number;
  /** e.g. '/me'. */
  readonly path: string;
  /**
   * Bearer tokens sent round-robin (shared across connections, so a token repeats only every
   * `tokens.length` requests); no `Authorization` header when absent.
   */
  readonly tokens?: readonly string[];
  readonly connections: number;
  readonly seconds?: number;
  /** Stop after this many requests instead of after `seconds`. */
  readonly amount?: number;
  /** Whether an answer's body is the expected one; unchecked when absent. */
  readonly verifyBody?: (body: string) => boolean;
}

/** Why a run does not count (an answer other than a 200 with the expected body, a socket error), or undefined. */
export function problemOf(load: LoadResult): string | undefined {
  if (load.requests === 0) return 'no answers';
  const bad = [
    load.non2xx > 0 ? `${load.non2xx} non-2xx (${JSON.stringify(load.statusCounts)})` : '',
    load.errors > 0 ? `${load.errors} socket errors` : '',
    load.timeouts > 0 ? `${load.timeouts} timeouts` : '',
    load.mismatches > 0 ? `${load.mismatches} wrong bodies` : '',
  ].filter(Boolean);
  return bad.length > 0 ? bad.join(', ') : undefined;
}

const SAMPLE_INTERVAL_MS = 50;

/**
 * Runs autocannon (pipelining 1) and records latencies itself: autocannon's own histogram
 * has 1 ms resolution, too coarse on loopback. Every run builds its requests the same way
 * (`setupRequest` copies the request, token or not), so the load generator's cost per
 * request barely differs between the two sides of a pair.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { tokens, verifyBody } = options;
  let next = 0;
  const latencies: number[] = [];
  const cpuAtStart = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${options.port}`,
        connections: options.connections,
        pipelining: 1,
        // autocannon stops only on its sampling tick (1 s by default), so a 0.5 s window used to
        // run a whole second; a 50 ms tick ends it within 50 ms of its length.
        sampleInt: SAMPLE_INTERVAL_MS,
        ...(options.amount === undefined ? { duration: options.seconds ?? 1 } : { amount: options.amount }),
        ...(verifyBody === undefined ? {} : { verifyBody: (body) => verifyBody(String(body)) }),
        requests: [
          {
            method: 'GET',
            path: options.path,
            setupRequest: (request) => {
              const headers = { ...request.headers };
              if (tokens !== undefined && tokens.length > 0) headers.authorization = `Bearer ${tokens[next++ % tokens.length]}`;
              return { ...request, headers };
            },
          },
        ],
      },
      (error, result) => {
        if (error !== null && error !== undefined) return reject(error as Error);
        const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
        const clientCpu = process.cpuUsage(cpuAtStart);
        latencies.sort((a, b) => a - b);
        const statusCounts: Record<string, number> = {};
        for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = stats.count ?? 0;
        resolve({
          seconds,
          requests: result.requests.total,
          requestsPerSecond: result.requests.total / seconds,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          mismatches: result.mismatches,
          statusCounts,
          clientCpuShare: (clientCpu.user + clientCpu.system) / (seconds * 1e6),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}
