/**
 * Coexistence with the Red Hat YAML extension (yaml-language-server): which
 * kinds it validates and completes with a CRD schema in a given file, so
 * meshlens can leave that to it (`AnalysisOptions.schemaDeferredKinds`).
 *
 * The client reports what it sees of the extension (`YamlExtensionReport`:
 * installed and active, `yaml.validate`, `yaml.completion`, `yaml.hover`,
 * `yaml.kubernetesCRDStore.enable`, `yaml.schemas`) at start and whenever it
 * changes (`meshlens/yamlExtension`). A file's kinds then come from:
 * - a `yaml.schemas` entry whose globs match the file (the extension's glob
 *   rules: a leading `/` is dropped, the glob may match any path suffix, `!`
 *   excludes): `kubernetes` (or the Kubernetes JSON schema URL) means every
 *   kind when the CRD store is on (it picks each CRD's schema by
 *   apiVersion/kind), else the built-in kinds; any other schema names its
 *   kind in its file name (`…/cilium.io/ciliumnetworkpolicy_v2.json`), and
 *   the name's parts are the kinds;
 * - a `# yaml-language-server: $schema=…` modeline in the file, read the same way.
 *
 * The setting `meshlens.schemaValidation` decides whether this applies:
 * `auto` (default) defers as above, `true` never defers, `false` defers
 * every kind (the core's `schemaValidation: false`).
 *
 * Invariants: pure (no IO; the file text is passed in); globs compile with
 * RE2 (`compileGlob`), so a repository's settings cannot make matching spin;
 * a malformed report counts as no extension.
 */

import { compileGlob, type PathMatcher } from '../../host/src/pathMatchers';
import type { YamlExtensionReport } from '../../protocol/src/messages';

export type { YamlExtensionReport };



/** Kinds of the Kubernetes schema itself that meshlens checks. */
const BUILT_IN_KINDS = ['networkpolicy'];

const KUBERNETES_SCHEMA = /^https:\/\/raw\.githubusercontent\.com\/yannh\/kubernetes-json-schema\//i;
const MODELINE = /^#\s*yaml-language-server\s*:.*\$schema=(\S+)/m;

export type CoveragePurpose = 'diagnostics' | 'completion' | 'hover';

interface CompiledAssociation {
  kinds: string[];
  include: PathMatcher[];
  exclude: PathMatcher[];
}

export class YamlExtensionCoverage {
  private report: YamlExtensionReport | undefined;
  private associations: CompiledAssociation[] = [];

  /** Takes a report from the client; anything malformed counts as "no extension". */
  update(value: unknown): void {
    this.report = parseReport(value);
    this.associations = (this.report?.schemas ?? []).map((entry) => compileAssociation(entry, this.report!.crdStore));
  }

  get active(): boolean {
    return this.report !== undefined;
  }

  /**
   * Lower-case kinds (or `*`) whose schema the extension applies to `file`,
   * for `purpose`: diagnostics need `yaml.validate`, completion `yaml.completion`, hover `yaml.hover`.
   */
  deferredKinds(file: string, text: string | undefined, purpose: CoveragePurpose): string[] {
    const report = this.report;
    if (!report || !{ diagnostics: report.validate, completion: report.completion, hover: report.hover }[purpose]) return [];
    const path = file.split('\\').join('/');
    const kinds = new Set<string>();
    for (const association of this.associations) {
      if (!association.include.some((glob) => glob.test(path)) || association.exclude.some((glob) => glob.test(path))) continue;
      for (const kind of association.kinds) kinds.add(kind);
    }
    // Most files have no modeline: a native substring search rules them out before the expression runs.
    const head = text === undefined ? '' : text.slice(0, 64 * 1024);
    const modeline = head.includes('yaml-language-server') ? MODELINE.exec(head)?.[1] : undefined;
    if (modeline) for (const kind of schemaKinds(modeline, report.crdStore)) kinds.add(kind);
    return [...kinds].sort();
  }
}

function parseReport(value: unknown): YamlExtensionReport | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const schemas = Array.isArray(record.schemas) ? record.schemas : [];
  return {
    validate: record.validate !== false,
    completion: record.completion !== false,
    hover: record.hover !== false,
    crdStore: record.crdStore !== false,
    schemas: schemas.flatMap((entry) => {
      if (!entry || typeof entry !== 'object') return [];
      const { schema, globs } = entry as { schema?: unknown; globs?: unknown };
      if (typeof schema !== 'string' || !Array.isArray(globs)) return [];
      return [{ schema, globs: globs.filter((glob): glob is string => typeof glob === 'string' && glob !== '').slice(0, 100) }];
    }),
  };
}

function compileAssociation(entry: { schema: string; globs: string[] }, crdStore: boolean): CompiledAssociation {
  const include: PathMatcher[] = [];
  const exclude: PathMatcher[] = [];
  for (const raw of entry.globs) {
    const negated = raw.startsWith('!');
    const glob = (negated ? raw.slice(1) : raw).replace(/^\/+/, '');
    const matcher = glob ? compileGlob(glob) : undefined;
    if (matcher) (negated ? exclude : include).push(matcher);
  }
  return { kinds: schemaKinds(entry.schema, crdStore), include, exclude };
}

/** The kinds a schema reference validates: `*` for Kubernetes with the CRD store, else the parts of its file name. */
export function schemaKinds(schema: string, crdStore: boolean): string[] {
  const trimmed = schema.trim();
  if (trimmed.toLowerCase() === 'kubernetes' || KUBERNETES_SCHEMA.test(trimmed)) return crdStore ? ['*'] : BUILT_IN_KINDS;
  const base = trimmed.split(/[?#]/)[0].split(/[\\/]/).pop() ?? '';
  const name = base.replace(/\.(json|ya?ml)$/i, '').toLowerCase();
  // `ciliumnetworkpolicy_v2`, `cilium.io_v2_ciliumnetworkpolicy`, `authorizationpolicy-security-v1`: kinds are the word parts.
  return [...new Set(name.split(/[_.\-]+/).filter((part) => /^[a-z][a-z0-9]*$/.test(part) && !/^v\d+((alpha|beta)\d+)?$/.test(part)))];
}
