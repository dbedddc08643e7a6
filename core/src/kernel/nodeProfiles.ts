/**
 * Node pools as the kernel checks see them: `meshlens.dev/v1alpha1`
 * NodeProfile documents, each one pool, applying to the manifests in their
 * directory and below. The nearest ancestor directory that holds profiles
 * wins; several profiles there are several pools, and a feature must work on
 * every one of them. With no profile above a file, the `kernelVersion`
 * option (setting `meshlens.kernel.version`, CLI `--kernel`) is one pool
 * named "setting"; with neither, there are no pools and no kernel verdicts.
 *
 * Invariants: the profile index is memoized per workspace generation; probe
 * files are read only through `readReferencedFile` (confined to the
 * workspace); every problem found is recorded with a document-relative range
 * in the profile's own document, never thrown.
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import type { AnalysisOptions } from '../options';
import type { Anchor, DocRange } from '../findings';
import { parentDirectory, type IndexedDocument, type WorkspaceModel } from '../workspace/model';
import { isProbeParseError, parseBpftoolProbe } from '../cilium/kernel/bpftoolProbe';
import { parseKernelRelease } from '../cilium/kernel/kernelVersion';
import type { NodePoolFacts } from '../cilium/kernel/requirementCheck';

export interface PoolProfileSource {
  file: string;
  document: number;
  /** `metadata.name` value (or the document's `kind` when unnamed). */
  name: Anchor;
  /** `spec.kernel` value, when written. */
  kernel?: Anchor;
  /** `spec.bpftoolProbe` value, when written. */
  probe?: Anchor;
}

export interface Pool extends NodePoolFacts {
  origin: 'profile' | 'setting';
  /** The kernel string as written (profile or setting). */
  kernelText?: string;
  /** Where the profile is; absent for the setting pool. */
  profile?: PoolProfileSource;
  /** Workspace path of the probe file that was read. */
  probePath?: string;
}

export interface ProfileProblem {
  file: string;
  document: number;
  range: DocRange;
  message: string;
}

export interface NodeProfileIndex {
  /** Directory (as in workspace paths) → pools whose profile files are directly in it. */
  byDirectory: ReadonlyMap<string, readonly Pool[]>;
  /** Every pool, in workspace order. */
  pools: readonly Pool[];
  problems: readonly ProfileProblem[];
}

export interface PoolSet {
  pools: Pool[];
  origin: 'profiles' | 'setting' | 'none';
  /** The directory whose profiles apply (origin `profiles`). */
  directory?: string;
}

export const SETTING_POOL_NAME = 'setting';

export function isNodeProfile(document: IndexedDocument): boolean {
  return document.identity.kind === 'NodeProfile' && document.identity.group === 'meshlens.dev';
}

/** Every NodeProfile of the workspace, parsed, with its problems. */
export function nodeProfileIndex(workspace: WorkspaceModel): NodeProfileIndex {
  return workspace.derive('kernel/node-profiles', (model) => {
    const byDirectory = new Map<string, Pool[]>();
    const pools: Pool[] = [];
    const problems: ProfileProblem[] = [];
    for (const document of model.byKind('NodeProfile')) {
      if (!isNodeProfile(document)) continue;
      const pool = readProfile(model, document, problems);
      if (!pool) continue;
      pools.push(pool);
      const directory = parentDirectory(document.file);
      const list = byDirectory.get(directory) ?? [];
      list.push(pool);
      byDirectory.set(directory, list);
    }
    return { byDirectory, pools, problems };
  });
}

/** The pools that apply to a manifest file: nearest profiles, else the setting, else none. */
export function poolsForFile(workspace: WorkspaceModel, file: string, options: Pick<AnalysisOptions, 'kernelVersion'>): PoolSet {
  const index = nodeProfileIndex(workspace);
  let directory = parentDirectory(file);
  for (let depth = 0; depth < 256; depth++) {
    const found = index.byDirectory.get(directory);
    if (found && found.length > 0) return { pools: [...found], origin: 'profiles', directory };
    const parent = parentDirectory(directory);
    if (parent === directory || directory === '') break;
    directory = parent;
  }
  const setting = settingPool(options.kernelVersion);
  return setting ? { pools: [setting], origin: 'setting' } : { pools: [], origin: 'none' };
}

/** The pool the `kernelVersion` option describes; undefined when unset or unreadable. */
export function settingPool(kernelVersion: string | undefined): Pool | undefined {
  if (typeof kernelVersion !== 'string' || kernelVersion.trim() === '') return undefined;
  const kernel = parseKernelRelease(kernelVersion);
  if (!kernel) return undefined;
  return { name: SETTING_POOL_NAME, origin: 'setting', kernel, kernelText: kernelVersion.trim() };
}

/** Short kernel label for lenses and lists: `5.4`, or `?` when unknown. */
export function shortKernel(pool: Pool): string {
  if (pool.kernel) return `${pool.kernel.major}.${pool.kernel.minor}`;
  return pool.probe ? 'probe' : '?';
}

function readProfile(model: WorkspaceModel, document: IndexedDocument, problems: ProfileProblem[]): Pool | undefined {
  const root = deref(document.parsed.root);
  if (!root || root.type !== 'map') return undefined;
  const anchor = (node: YamlNode): Anchor => ({ file: document.file, document: document.index, start: node.start, end: node.end });
  const problem = (node: YamlNode, message: string) => problems.push({ file: document.file, document: document.index, range: { start: node.start, end: node.end }, message });

  const metadata = deref(mapGet(root, 'metadata'));
  const nameNode = deref(mapGet(metadata, 'name'));
  const kindNode = deref(mapGet(root, 'kind')) ?? root;
  const name = scalarString(nameNode) ?? `profile #${document.index + 1}`;
  const pool: Pool = { name, origin: 'profile', profile: { file: document.file, document: document.index, name: anchor(nameNode ?? kindNode) } };

  const spec = deref(mapGet(root, 'spec'));
  if (!spec || spec.type !== 'map') return pool;

  const kernelNode = deref(mapGet(spec, 'kernel'));
  const kernelText = scalarString(kernelNode);
  if (kernelNode) pool.profile!.kernel = anchor(kernelNode);
  if (kernelText !== undefined) {
    pool.kernelText = kernelText;
    const kernel = parseKernelRelease(kernelText);
    if (kernel) pool.kernel = kernel;
    else if (kernelNode) problem(kernelNode, `"${kernelText}" is not a kernel release (as \`uname -r\` prints it, e.g. 5.15.0-91-generic): pool ${name} is judged by its probe and kernelConfig only`);
  }

  const config = deref(mapGet(spec, 'kernelConfig'));
  if (config?.type === 'map') {
    const kernelConfig: Record<string, 'y' | 'm' | 'n'> = {};
    for (const pair of config.pairs) {
      const key = pair.key.type === 'scalar' ? pair.key.text : undefined;
      // The scalar's text, not its YAML 1.1 value: an unquoted `n` or `y` would otherwise read as a boolean.
      const valueNode = deref(pair.value);
      const value = valueNode?.type === 'scalar' ? valueNode.text.trim().toLowerCase() : undefined;
      if (key && (value === 'y' || value === 'm' || value === 'n')) kernelConfig[key] = value;
    }
    if (Object.keys(kernelConfig).length > 0) pool.kernelConfig = kernelConfig;
  }

  const probeNode = deref(mapGet(spec, 'bpftoolProbe'));
  const probePath = scalarString(probeNode);
  if (probeNode && probePath !== undefined && probePath.trim() !== '') {
    pool.profile!.probe = anchor(probeNode);
    let read: { text: string; path: string } | { error: string };
    try {
      read = model.readReferencedFile(document.file, probePath.trim());
    } catch {
      read = { error: `"${probePath}" cannot be read` };
    }
    if ('error' in read) {
      problem(probeNode, `bpftool probe not used: ${read.error}; pool ${name} is judged by its kernel version only`);
    } else {
      const parsed = parseBpftoolProbe(read.text);
      if (isProbeParseError(parsed)) problem(probeNode, `bpftool probe "${probePath}" is not usable (${probeErrorText(parsed)}); pool ${name} is judged by its kernel version only`);
      else {
        pool.probe = parsed;
        pool.probePath = read.path;
      }
    }
  }
  return pool;
}

/** The parser's reason, without the JavaScript engine's wording of JSON syntax errors (it differs between Node versions). */
function probeErrorText(error: { error: string; offset?: number }): string {
  if (!error.error.startsWith('not valid JSON')) return error.error;
  return error.offset !== undefined ? `not valid JSON at character ${error.offset}` : 'not valid JSON';
}
