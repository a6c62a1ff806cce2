import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly totalMemoryMB: number;
  /** 1-minute load average when the run started: other work on the machine skews absolute numbers. */
  readonly loadAverageAtStart: number;
  /** The core the server children were pinned to, if any. */
  readonly serverCpu?: number;
}

export function machineInfo(serverCpu: number | undefined): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    totalMemoryMB: Math.round(totalmem() / 1024 / 1024),
    loadAverageAtStart: loadavg()[0] ?? Number.NaN,
    serverCpu,
  };
}
