/**
 * The on-disk cache of downloaded chart files, under the folder the client
 * gives (VS Code's global storage) or `$XDG_CACHE_HOME/meshlens`:
 *
 *   charts/<sha256(repository URL), 16 hex>/<chart>/<version>/
 *     Chart.yaml  values.yaml  values.schema.json  meta.json
 *   charts/<hash>/<chart>/resolved.json   (version spec → version, with time)
 *
 * Only the three chart files meshlens reads are kept, written under fixed
 * names (never names from the archive). Chart names and versions become path
 * segments only when they are plain (`[A-Za-z0-9._+-]`, not `.`/`..`);
 * anything else is kept in memory only. The whole cache is capped in size:
 * the oldest versions go first.
 *
 * All methods are synchronous (the fetcher answers synchronously), small and
 * never throw: an unreadable cache is a miss.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WANTED_CHART_FILES, type WantedChartFile } from './tarReader';

export interface CachedChart {
  version: string;
  dir: string;
  files: Partial<Record<WantedChartFile, string>>;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

export class ChartDiskCache {
  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
  ) {}

  /** Files of an exact chart version, when cached. */
  lookup(repositoryUrl: string, chart: string, version: string): CachedChart | undefined {
    const dir = this.versionDir(repositoryUrl, chart, version);
    if (!dir) return undefined;
    try {
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { repositoryUrl?: unknown; chart?: unknown; version?: unknown };
      if (meta.repositoryUrl !== repositoryUrl || meta.chart !== chart || meta.version !== version) return undefined;
      const files: Partial<Record<WantedChartFile, string>> = {};
      for (const name of WANTED_CHART_FILES) {
        try {
          files[name] = readFileSync(join(dir, name), 'utf8');
        } catch {
          // The archive did not have this file.
        }
      }
      return { version, dir, files };
    } catch {
      return undefined;
    }
  }

  /** The version a spec resolved to within the last `maxAgeMs`, so a range needs no index download. */
  resolvedVersion(repositoryUrl: string, chart: string, spec: string, maxAgeMs: number): string | undefined {
    const dir = this.chartDir(repositoryUrl, chart);
    if (!dir) return undefined;
    try {
      const records = JSON.parse(readFileSync(join(dir, 'resolved.json'), 'utf8')) as Record<string, { version?: unknown; at?: unknown }>;
      const record = records[spec];
      if (!record || typeof record.version !== 'string' || typeof record.at !== 'number') return undefined;
      return Date.now() - record.at <= maxAgeMs ? record.version : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a chart version (and what `spec` resolved to); returns its folder, or undefined when not stored on disk. */
  store(repositoryUrl: string, chart: string, version: string, spec: string, files: Partial<Record<WantedChartFile, string>>): string | undefined {
    const dir = this.versionDir(repositoryUrl, chart, version);
    const chartDir = this.chartDir(repositoryUrl, chart);
    if (!dir || !chartDir) return undefined;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const name of WANTED_CHART_FILES) {
        const text = files[name];
        if (text !== undefined) writeFileSync(join(dir, name), text, { mode: 0o600 });
      }
      writeFileSync(join(dir, 'meta.json'), JSON.stringify({ repositoryUrl, chart, version, storedAt: Date.now() }), { mode: 0o600 });
      this.recordResolution(chartDir, spec, version);
      this.enforceCap();
      return dir;
    } catch {
      return undefined;
    }
  }

  private recordResolution(chartDir: string, spec: string, version: string): void {
    const path = join(chartDir, 'resolved.json');
    let records: Record<string, unknown> = {};
    try {
      records = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch {
      // First resolution for this chart.
    }
    records[spec] = { version, at: Date.now() };
    writeFileSync(path, JSON.stringify(records), { mode: 0o600 });
  }

  /** Drops the oldest cached versions until the cache fits its cap. */
  private enforceCap(): void {
    const chartsRoot = join(this.root, 'charts');
    const versions: { dir: string; bytes: number; storedAt: number }[] = [];
    for (const repository of safeList(chartsRoot)) {
      for (const chart of safeList(join(chartsRoot, repository))) {
        for (const version of safeList(join(chartsRoot, repository, chart))) {
          const dir = join(chartsRoot, repository, chart, version);
          if (!isDirectory(dir)) continue;
          let bytes = 0;
          for (const file of safeList(dir)) bytes += fileSize(join(dir, file));
          let storedAt = 0;
          try {
            storedAt = Number((JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { storedAt?: unknown }).storedAt) || 0;
          } catch {
            // A folder without meta is the first to go.
          }
          versions.push({ dir, bytes, storedAt });
        }
      }
    }
    let total = versions.reduce((sum, entry) => sum + entry.bytes, 0);
    versions.sort((a, b) => a.storedAt - b.storedAt);
    for (const entry of versions) {
      if (total <= this.maxBytes) break;
      rmSync(entry.dir, { recursive: true, force: true });
      total -= entry.bytes;
    }
  }

  private chartDir(repositoryUrl: string, chart: string): string | undefined {
    if (!SAFE_SEGMENT.test(chart)) return undefined;
    const hash = createHash('sha256').update(repositoryUrl).digest('hex').slice(0, 16);
    return join(this.root, 'charts', hash, chart);
  }

  private versionDir(repositoryUrl: string, chart: string, version: string): string | undefined {
    if (!SAFE_SEGMENT.test(version) || version === 'resolved.json') return undefined;
    const chartDir = this.chartDir(repositoryUrl, chart);
    return chartDir ? join(chartDir, version) : undefined;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
