import { spawnSync } from 'node:child_process';
import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';

/** What the figures were measured on, printed above them. */
export interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  totalMemoryGb: number;
  freeMemoryGb: number;
  os: string;
  loadAverage: number[];
  ripgrep: string | null;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    totalMemoryGb: totalmem() / 1024 ** 3,
    freeMemoryGb: freemem() / 1024 ** 3,
    os: `${type()} ${release()}`,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    ripgrep: ripgrepVersion(),
  };
}

export function ripgrepVersion(): string | null {
  const r = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.split('\n')[0]?.trim() ?? null;
}

export function formatMachine(m: Machine): string {
  return [
    `machine: ${m.cores} cores, ${m.cpuModel}, ${m.totalMemoryGb.toFixed(1)} GB memory (${m.freeMemoryGb.toFixed(1)} GB free), ${m.os}`,
    `node ${m.node}; ripgrep: ${m.ripgrep ?? 'not installed (apt-get install ripgrep); its columns show n/a'}`,
    `load average at start: ${m.loadAverage.join(' ')} (figures from a busy machine are lower)`,
  ].join('\n');
}
