/**
 * What the workspace's host may provide about Helm charts: the files of a
 * chart it downloaded (or found in its cache), asked for by repository URL,
 * chart name and version. The core never downloads; the language server and
 * the CLI implement `ChartFetcher`, the helm layer reads what it answers.
 */

import type { YamlNode } from '../parse/ast';

export interface ChartFiles {
  /** Folder of the chart (workspace path, or the fetcher's cache path). */
  dir: string;
  name?: string;
  version?: string;
  /** The chart's values.yaml: text, parsed tree and plain value. */
  valuesYaml?: { path: string; text: string; root: YamlNode | undefined; value: unknown };
  /** The chart's values.schema.json, parsed. */
  schema?: { path: string; schema: Record<string, unknown> };
}

/** A chart in a repository: the HelmRepository URL (or the `oci://` artifact URL), chart name, version or semver range as written. */
export interface ChartRequest {
  repositoryUrl: string;
  chart: string;
  version?: string;
}

/** What a host that may download charts provides (never implemented in the core). */
export interface ChartFetcher {
  /**
   * Chart files from the host's cache; undefined when not fetched (yet) or
   * not allowed. Must answer synchronously and the same way within a
   * workspace generation (a miss may start a download in the background).
   */
  chartFiles(request: ChartRequest): ChartFiles | undefined;
  /** Why `chartFiles` has nothing for this request (downloading, refused and why, not supported), for hover; undefined to stay silent. */
  describe?(request: ChartRequest): string | undefined;
}
