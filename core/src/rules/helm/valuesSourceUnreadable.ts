import { ciliumReleaseOf, ciliumReleasesOf } from '../../helm/ciliumReleases';
import { effectiveValues } from '../../helm/effectiveValues';
import type { CrossFileRule } from '../types';

/**
 * A `valuesFrom` entry whose values exist but cannot be used: the values
 * file or ConfigMap block does not parse, is not a map, the generator file
 * is missing, or meshlens cannot follow the entry (then only `info`). The
 * value checks of the release then run without these values, and the finding
 * says so instead of letting them pass silently.
 */
export const valuesSourceUnreadable: CrossFileRule = {
  meta: {
    id: 'helm/values-source-unreadable',
    severity: 'error',
    title: 'Values source that cannot be read',
    kinds: ['HelmRelease'],
    crossFile: true,
    docs: {
      summary: 'A `valuesFrom` entry of a HelmRelease whose values cannot be used: the ConfigMap block or the `configMapGenerator` file does not parse as YAML, is not a map, or the generator file is missing; `info`, on Cilium releases, when only meshlens cannot read the entry (a Secret, a ConfigMap not in the workspace, a name filled in by substitution, a list index in `targetPath`, a file too large to analyse), since the value checks then run without it.',
      why: 'helm-controller fails the release when a values source does not parse, and every value check of meshlens skips the values it cannot read: the error is reported on the entry that reads them.',
      bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-values}\ndata:\n  values.yaml: |\n    tunnel: [vxlan\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium}\nspec:\n  valuesFrom:\n    - kind: ConfigMap\n      name: cilium-values\n',
      good: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-values}\ndata:\n  values.yaml: |\n    tunnel: vxlan\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium}\nspec:\n  valuesFrom:\n    - kind: ConfigMap\n      name: cilium-values\n',
      source: 'Flux helm-controller valuesFrom composition',
    },
  },
  check(context) {
    if (!context.resource) return;
    const release = context.workspace.fileResources(context.file).find((resource) => resource.index === context.documentIndex);
    if (!release) return;
    // Sources meshlens only cannot follow matter where it checks values: the Cilium releases.
    const checksValues = () => ciliumReleaseOf(context.workspace, context.file, context.documentIndex) !== undefined;
    // A Cilium release is composed per cluster build (a ConfigMap generated in another folder is found there).
    const variants = ciliumReleasesOf(context.workspace, context.file, context.documentIndex);
    const sources = variants.length > 0 ? variants.flatMap((variant) => variant.values.unreadableSources) : effectiveValues(context.workspace, release).unreadableSources;
    const seen = new Set<string>();
    for (const source of sources) {
      const key = `${source.entry.start}\u0000${source.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (source.severity === 'info' && !checksValues()) continue;
      context.report({ start: source.entry.start, end: source.entry.end }, `${source.message}; value checks of this release skip these values`, {
        severity: source.severity,
        related: source.at ? [{ at: source.at, message: 'the values are read from here' }] : undefined,
      });
    }
  },
};
