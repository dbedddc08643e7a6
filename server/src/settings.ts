/**
 * `meshlens.*` settings → AnalysisOptions. Settings keys live here once
 * (`SettingIds`); the server pulls them per workspace folder, caches them per
 * folder and clears the cache on `workspace/didChangeConfiguration`.
 */

import { compileGlob, type PathMatcher } from '../../host/src/pathMatchers';
import { defaultAnalysisOptions, type AnalysisOptions, type SeveritySetting } from '../../core/src/index';

export const SettingIds = {
  section: 'meshlens',
  rules: 'rules',
  ciliumVersion: 'cilium.version',
  kernelVersion: 'kernel.version',
  istioVersion: 'istio.version',
  istioRootNamespace: 'istio.rootNamespace',
  schemaValidation: 'schemaValidation',
  filesExclude: 'files.exclude',
  maxFileSize: 'maxFileSize',
  chartsDownload: 'charts.download',
  chartsCacheSizeMiB: 'charts.cacheSizeMiB',
  undeployedFiles: 'undeployedFiles',
  chartsAllowPrivateNetworks: 'charts.allowPrivateNetworks',
} as const;

export interface MeshlensSettings {
  rules?: Record<string, SeveritySetting>;
  cilium?: { version?: string };
  kernel?: { version?: string };
  istio?: { version?: string; rootNamespace?: string };
  /** `auto` (default): leave CRD schemas to the Red Hat YAML extension where it validates them (see `yamlExtension.ts`). */
  schemaValidation?: boolean | 'auto';
  files?: { exclude?: string[] };
  /** KiB. */
  maxFileSize?: number;
  charts?: { download?: boolean; cacheSizeMiB?: number; allowPrivateNetworks?: boolean };
  undeployedFiles?: string;
}

/** Chart download settings (used by the server's ChartDownloader, not by the core). */
export interface ChartDownloadSettings {
  /** True only when the user set `meshlens.charts.download` to true. */
  enabled: boolean;
  /** Cap on the chart cache; undefined for the downloader's default. */
  cacheSizeBytes?: number;
  /** Repositories on loopback/private/link-local addresses may be contacted (machine-scoped setting). */
  allowPrivateNetworks: boolean;
}

export function chartDownloadSettings(settings: MeshlensSettings | null | undefined): ChartDownloadSettings {
  const charts = settings?.charts;
  const size = charts?.cacheSizeMiB;
  return {
    enabled: charts?.download === true,
    allowPrivateNetworks: charts?.allowPrivateNetworks === true,
    ...(typeof size === 'number' && Number.isFinite(size) && size > 0 ? { cacheSizeBytes: Math.floor(size * 1024 * 1024) } : {}),
  };
}

export function optionsFromSettings(settings: MeshlensSettings | null | undefined): AnalysisOptions {
  const value = settings ?? {};
  const rules: Record<string, SeveritySetting> = {};
  for (const [id, severity] of Object.entries(value.rules ?? {})) {
    if (['error', 'warning', 'info', 'hint', 'off'].includes(severity)) rules[id] = severity;
  }
  return defaultAnalysisOptions({
    rules,
    ciliumVersion: nonEmpty(value.cilium?.version),
    kernelVersion: nonEmpty(value.kernel?.version),
    istioVersion: nonEmpty(value.istio?.version),
    istioRootNamespace: nonEmpty(value.istio?.rootNamespace) ?? 'istio-system',
    schemaValidation: value.schemaValidation !== false,
    maxFileBytes: typeof value.maxFileSize === 'number' && value.maxFileSize > 0 ? value.maxFileSize * 1024 : 2 * 1024 * 1024,
    undeployedFiles: value.undeployedFiles === 'keep' ? 'keep' : 'info',
  });
}

/** `meshlens.files.exclude` as linear-time matchers (RE2); a glob that cannot be compiled is dropped. */
export function excludePatterns(settings: MeshlensSettings | null | undefined): PathMatcher[] {
  const globs = settings?.files?.exclude;
  if (!Array.isArray(globs)) return [];
  return globs.filter((glob): glob is string => typeof glob === 'string' && glob !== '').flatMap((glob) => compileGlob(glob) ?? []);
}

/** `meshlens.schemaValidation`: `false` defers every kind, `true` none, `auto` (default) what the YAML extension validates. */
export function schemaValidationMode(settings: MeshlensSettings | null | undefined): 'auto' | 'on' | 'off' {
  const value = settings?.schemaValidation;
  return value === false ? 'off' : value === true ? 'on' : 'auto';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}
