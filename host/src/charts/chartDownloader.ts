/**
 * The host side of "any chart" values validation: a `ChartFetcher` that
 * answers synchronously from memory or the disk cache and, on a miss, fetches
 * the chart in the background when downloads are allowed; when a fetch ends
 * (files or a refusal) it tells its listeners, and the host re-analyses.
 *
 * Allowed only when the user turned downloads on (`meshlens.charts.download`,
 * or `--download-charts` in the CLI) AND the workspace is trusted. A missing
 * trust flag counts as untrusted. While not allowed nothing is requested and
 * the cache is not consulted either.
 *
 * A download: the repository's index.yaml (size-capped), the version the spec
 * selects (highest in range), the archive (size-capped) whose sha256 must
 * equal the index's digest (no digest → refused), then the three chart files
 * read out of it (see `tarReader`). Failures are remembered per request:
 * refusals (digest, size, hostile archive) until the policy changes or the
 * host restarts; network failures retried after `retryAfterMs`.
 * HelmRepository over https only; OCI registries are not supported (said so
 * in hover, no request made). No loopback/private addresses unless
 * `allowPrivateNetworks` (see `addressPolicy`).
 *
 * One time budget per run (`runBudgetMs`): a run starts when a download
 * starts while none is in flight and ends when none is left; when the budget
 * runs out every request still open is stopped and its chart reported as not
 * downloaded (retried in a later run), so repositories that never answer
 * cannot hold the CLI or the server longer than the budget.
 */

import { createHash } from 'node:crypto';
import { chartFilesFromTexts, type ChartFetcher, type ChartFiles, type ChartRequest } from '../../../core/src/index';
import { boundedGet, BUDGET_SPENT, urlRefusal, type GetLimits } from './boundedGet';
import { ChartDiskCache } from './chartCache';
import { archiveUrl, indexUrl, parseRepositoryIndex, selectChartVersion, type ChartIndexEntry } from './repositoryIndex';
import { readChartArchive } from './tarReader';

export interface DownloadLimits {
  maxIndexBytes: number;
  maxArchiveBytes: number;
  /** Cap on the archive's unpacked size. */
  maxUnpackedBytes: number;
  /** Cap on each of Chart.yaml, values.yaml, values.schema.json. */
  maxEntryBytes: number;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  cacheSizeBytes: number;
  /** After a network failure, the next analysis may try again after this long. */
  retryAfterMs: number;
  /** A repository index is reused in memory, and a range's resolution on disk, for this long. */
  indexTtlMs: number;
  /** Requests in flight at once. */
  maxConcurrent: number;
  /** Overall time for one run of downloads (see the module comment). */
  runBudgetMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
  maxIndexBytes: 20 * 1024 * 1024,
  maxArchiveBytes: 10 * 1024 * 1024,
  maxUnpackedBytes: 64 * 1024 * 1024,
  maxEntryBytes: 4 * 1024 * 1024,
  connectTimeoutMs: 10_000,
  totalTimeoutMs: 60_000,
  cacheSizeBytes: 100 * 1024 * 1024,
  retryAfterMs: 10 * 60_000,
  indexTtlMs: 30 * 60_000,
  maxConcurrent: 4,
  runBudgetMs: 60_000,
};

export interface DownloadPolicy {
  /** The user asked for downloads (setting or CLI flag). */
  enabled: boolean;
  /** The workspace is trusted (VS Code workspace trust; the CLI user is trusted). */
  trusted: boolean;
}

export interface ChartDownloaderOptions {
  userAgent: string;
  /** Cache folder; undefined keeps downloads in memory only. */
  cacheDir?: string;
  limits?: Partial<DownloadLimits>;
  policy?: DownloadPolicy;
  /** Allow loopback, private and link-local repository addresses (machine setting only; tests). */
  allowPrivateNetworks?: boolean;
  /** Extra CA certificates (PEM) trusted besides Node's own. */
  ca?: string;
}

type Entry =
  | { state: 'pending'; label: string }
  | { state: 'ready'; files: ChartFiles }
  | { state: 'failed'; reason: string; retryAt?: number };

type IndexResult = { ok: true; entries: Map<string, ChartIndexEntry[]>; at: number } | { ok: false; reason: string; transient: boolean; at: number };

class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly transient = false,
  ) {
    super(reason);
  }
}

export class ChartDownloader implements ChartFetcher {
  readonly limits: DownloadLimits;
  private policy: DownloadPolicy;
  private cache: ChartDiskCache | undefined;
  private cacheDir: string | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly indexes = new Map<string, Promise<IndexResult>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listeners: (() => void)[] = [];
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private run: { controller: AbortController; timer: NodeJS.Timeout } | undefined;
  private budgetRanOut = false;
  private allowPrivateNetworks: boolean;

  constructor(private readonly options: ChartDownloaderOptions) {
    this.limits = { ...DEFAULT_DOWNLOAD_LIMITS, ...options.limits };
    this.policy = options.policy ?? { enabled: false, trusted: false };
    this.allowPrivateNetworks = options.allowPrivateNetworks === true;
    this.setCacheDir(options.cacheDir);
  }

  /** The machine setting `meshlens.charts.allowPrivateNetworks` changed. */
  setAllowPrivateNetworks(allow: boolean): void {
    if (allow === this.allowPrivateNetworks) return;
    this.allowPrivateNetworks = allow;
    for (const [key, entry] of this.entries) if (entry.state === 'failed') this.entries.delete(key);
    this.indexes.clear();
    this.emit();
  }

  /** Did a run's time budget run out (since the downloader was made)? */
  get budgetExhausted(): boolean {
    return this.budgetRanOut;
  }

  /** Downloads are attempted only when enabled and trusted. */
  get allowed(): boolean {
    return this.policy.enabled && this.policy.trusted;
  }

  /** Called after a download ends or the policy changes what the fetcher answers. */
  onDidChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  setPolicy(policy: DownloadPolicy): void {
    const changed = policy.enabled !== this.policy.enabled || policy.trusted !== this.policy.trusted;
    this.policy = { enabled: policy.enabled === true, trusted: policy.trusted === true };
    if (!changed) return;
    // A new policy is a fresh start: forget refusals and failures (not the downloaded files).
    for (const [key, entry] of this.entries) if (entry.state === 'failed') this.entries.delete(key);
    this.indexes.clear();
    this.emit();
  }

  setCacheDir(cacheDir: string | undefined): void {
    this.cacheDir = cacheDir;
    this.cache = cacheDir ? new ChartDiskCache(cacheDir, this.limits.cacheSizeBytes) : undefined;
  }

  setCacheSizeBytes(bytes: number | undefined): void {
    const size = bytes ?? DEFAULT_DOWNLOAD_LIMITS.cacheSizeBytes;
    if (size === this.limits.cacheSizeBytes) return;
    this.limits.cacheSizeBytes = size;
    this.setCacheDir(this.cacheDir);
  }

  chartFiles(request: ChartRequest): ChartFiles | undefined {
    if (!this.allowed) return undefined;
    const key = requestKey(request);
    const entry = this.entries.get(key);
    if (entry?.state === 'ready') return entry.files;
    if (entry?.state === 'pending') return undefined;
    if (entry?.state === 'failed' && (entry.retryAt === undefined || Date.now() < entry.retryAt)) return undefined;
    const refusal = urlRefusal(request.repositoryUrl, this.allowPrivateNetworks);
    if (refusal) {
      this.entries.set(key, { state: 'failed', reason: `${refusal} (${request.repositoryUrl})` });
      return undefined;
    }
    const cached = this.fromDisk(request);
    if (cached) {
      this.entries.set(key, { state: 'ready', files: cached });
      return cached;
    }
    this.start(key, request);
    return undefined;
  }

  describe(request: ChartRequest): string | undefined {
    if (!this.policy.enabled) return undefined;
    if (!this.policy.trusted) return 'chart downloads are off in an untrusted workspace.';
    const entry = this.entries.get(requestKey(request));
    if (!entry) {
      const refusal = urlRefusal(request.repositoryUrl, this.allowPrivateNetworks);
      return refusal ? `${refusal}.` : undefined;
    }
    if (entry.state === 'pending') return `downloading ${entry.label}…`;
    if (entry.state === 'failed') return `${entry.reason}.`;
    return undefined;
  }

  /** Resolves when no download is in flight (the CLI waits for this before reporting). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Every request that ended without files, with its reason (the CLI prints them). */
  problems(): { request: string; reason: string }[] {
    const result: { request: string; reason: string }[] = [];
    for (const [key, entry] of this.entries) if (entry.state === 'failed') result.push({ request: key, reason: entry.reason });
    return result;
  }

  private fromDisk(request: ChartRequest): ChartFiles | undefined {
    if (!this.cache) return undefined;
    const spec = request.version?.trim() || '*';
    const version = this.cache.lookup(request.repositoryUrl, request.chart, spec) ? spec : this.cache.resolvedVersion(request.repositoryUrl, request.chart, spec, this.limits.indexTtlMs);
    const cached = version ? this.cache.lookup(request.repositoryUrl, request.chart, version) : undefined;
    return cached ? toChartFiles(cached.dir, cached.files) : undefined;
  }

  private start(key: string, request: ChartRequest): void {
    const label = `chart ${request.chart}${request.version ? ` ${request.version}` : ''} from ${request.repositoryUrl}`;
    this.entries.set(key, { state: 'pending', label });
    if (this.inFlight.size === 0) this.startRun();
    const task = this.download(request)
      .then((files): Entry => ({ state: 'ready', files }))
      .catch((error: unknown): Entry => {
        const reason = error instanceof Refusal ? error.reason : `download failed: ${error instanceof Error ? error.message : String(error)}`;
        const transient = !(error instanceof Refusal) || error.transient;
        return { state: 'failed', reason: `${label}: ${reason}`, ...(transient ? { retryAt: Date.now() + this.limits.retryAfterMs } : {}) };
      })
      .then((entry) => {
        // The policy may have changed meanwhile; the result stands either way (it is only used while allowed).
        this.entries.set(key, entry);
        this.emit();
      });
    const tracked = task.finally(() => {
      this.inFlight.delete(tracked);
      if (this.inFlight.size === 0) this.endRun();
    });
    this.inFlight.add(tracked);
  }

  private startRun(): void {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      this.budgetRanOut = true;
      controller.abort();
    }, this.limits.runBudgetMs);
    timer.unref?.();
    this.run = { controller, timer };
  }

  private endRun(): void {
    if (!this.run) return;
    clearTimeout(this.run.timer);
    this.run = undefined;
  }

  private async download(request: ChartRequest): Promise<ChartFiles> {
    const index = await this.repositoryIndex(request.repositoryUrl);
    if (!index.ok) throw new Refusal(index.reason, index.transient);
    const versions = index.entries.get(request.chart);
    if (!versions || versions.length === 0) throw new Refusal(`the repository index has no chart "${request.chart}"`);
    const entry = selectChartVersion(versions, request.version);
    if (!entry) throw new Refusal(`no version of "${request.chart}" in the repository index matches "${request.version ?? '*'}"`);
    if (!entry.digest) throw new Refusal(`the repository index gives no sha256 digest for ${request.chart} ${entry.version}; refused (cannot verify the archive)`);
    const url = archiveUrl(request.repositoryUrl, entry);
    if (!url) throw new Refusal(`the repository index gives no archive URL for ${request.chart} ${entry.version}`);
    const archive = await this.get(url, this.limits.maxArchiveBytes, 'the chart archive');
    if (!archive.ok) throw new Refusal(archive.reason, archive.transient);
    const actual = createHash('sha256').update(archive.body).digest('hex');
    if (actual !== entry.digest) {
      // No digest in the message: neither the archive's nor the index's (both are response data).
      throw new Refusal(`the archive of ${request.chart} ${entry.version} does not match the sha256 digest in index.yaml; refused`);
    }
    const read = await readChartArchive(archive.body, { maxUnpackedBytes: this.limits.maxUnpackedBytes, maxEntryBytes: this.limits.maxEntryBytes });
    if (!read.ok) throw new Refusal(read.reason);
    const spec = request.version?.trim() || '*';
    const dir = this.cache?.store(request.repositoryUrl, request.chart, entry.version, spec, read.files) ?? `${request.repositoryUrl.replace(/\/+$/, '')}/${request.chart}-${entry.version}`;
    return toChartFiles(dir, read.files);
  }

  private repositoryIndex(repositoryUrl: string): Promise<IndexResult> {
    const known = this.indexes.get(repositoryUrl);
    if (known) {
      // Reuse a fresh index (or one being downloaded); drop stale or failed ones.
      return known.then((result) => {
        const fresh = result.ok ? Date.now() - result.at < this.limits.indexTtlMs : !result.transient || Date.now() - result.at < this.limits.retryAfterMs;
        if (fresh) return result;
        if (this.indexes.get(repositoryUrl) === known) this.indexes.delete(repositoryUrl);
        return this.repositoryIndex(repositoryUrl);
      });
    }
    const loading = this.get(indexUrl(repositoryUrl), this.limits.maxIndexBytes, 'index.yaml').then((answer): IndexResult => {
      if (!answer.ok) return { ok: false, reason: answer.reason, transient: answer.transient, at: Date.now() };
      const parsed = parseRepositoryIndex(answer.body.toString('utf8'));
      return parsed.ok ? { ok: true, entries: parsed.entries, at: Date.now() } : { ok: false, reason: parsed.reason, transient: false, at: Date.now() };
    });
    this.indexes.set(repositoryUrl, loading);
    return loading;
  }

  /** A bounded GET, at most `maxConcurrent` at once. */
  private async get(url: string, maxBytes: number, what: string) {
    const signal = this.run?.controller.signal;
    while (this.running >= this.limits.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (signal?.aborted) {
      this.waiting.shift()?.();
      return { ok: false as const, reason: BUDGET_SPENT, transient: true };
    }
    this.running++;
    try {
      const limits: GetLimits = {
        maxBytes,
        connectTimeoutMs: this.limits.connectTimeoutMs,
        totalTimeoutMs: this.limits.totalTimeoutMs,
        allowPrivateNetworks: this.allowPrivateNetworks,
        ...(this.options.ca ? { ca: this.options.ca } : {}),
        ...(signal ? { signal } : {}),
        what,
      };
      return await boundedGet(url, limits, this.options.userAgent);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private emit(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  }
}

function toChartFiles(dir: string, files: Partial<Record<'Chart.yaml' | 'values.yaml' | 'values.schema.json', string>>): ChartFiles {
  return chartFilesFromTexts(dir, { chartYaml: files['Chart.yaml'], valuesYaml: files['values.yaml'], valuesSchemaJson: files['values.schema.json'] });
}

function requestKey(request: ChartRequest): string {
  return `${request.repositoryUrl} ${request.chart} ${request.version?.trim() || '*'}`;
}
