/**
 * Upgrade planning: the edits that move every Cilium release of the
 * repository to a target chart version, so the repository can be checked as
 * it would be after the upgrade (`meshlens upgrade` compares the two with the
 * same machinery as `meshlens diff`).
 *
 * Where the version lives: `spec.chart.spec.version` of a HelmRelease whose
 * chart comes from a HelmRepository, or `spec.ref.tag` / `spec.ref.semver` of
 * the OCIRepository a `chartRef` names. The edit keeps the scalar's quoting.
 * A version written through a Flux substitution (`${CILIUM_VERSION}`), a
 * release without a version, a chart folder in Git or a digest pin cannot be
 * rewritten mechanically: the plan says so in a note and leaves them alone
 * (they are then judged as they are).
 *
 * Pure: reads the workspace model, returns file-offset edits and notes.
 */

import { ciliumCatalogChartVersion, knownCiliumMinors } from '../cilium/valuesCatalog';
import { ciliumReleases } from '../helm/ciliumReleases';
import { nodeAtPath, type YamlNode } from '../parse/ast';
import { textUnknownUntilRender } from '../parse/unknownValue';
import type { WorkspaceView } from '../workspace/workspace';
import { anchorLine } from '../workspace/anchorLine';

export interface UpgradeEdit {
  file: string;
  /** File offsets of the scalar replaced. */
  start: number;
  end: number;
  newText: string;
  /** 1-based line, for the report. */
  line: number;
  /** `cilium chart 1.16.5 → 1.18.6`. */
  what: string;
}

export interface UpgradePlan {
  edits: UpgradeEdit[];
  notes: { file: string; line: number; message: string }[];
}

/** A target `1.18` means the newest patch meshlens knows of that minor; `1.18.3` is taken as given. */
export function resolveCiliumTarget(target: string): { version: string } | { error: string } {
  const text = target.trim().replace(/^v/, '');
  const minor = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text);
  if (!minor) return { error: `"${target}" is not a Cilium version (e.g. 1.18 or 1.18.3)` };
  const known = knownCiliumMinors();
  const minorText = `${minor[1]}.${minor[2]}`;
  if (!known.includes(minorText)) return { error: `Cilium ${minorText} is not a version meshlens knows (${known[0]}–${known[known.length - 1]})` };
  return { version: minor[3] !== undefined ? text : ciliumCatalogChartVersion(minorText) };
}

export function planCiliumUpgrade(workspace: WorkspaceView, targetVersion: string): UpgradePlan {
  const plan: UpgradePlan = { edits: [], notes: [] };
  const seen = new Set<string>();
  for (const release of ciliumReleases(workspace)) {
    const { document, chart } = release;
    const name = `HelmRelease ${document.identity.name ?? ''}`.trim();
    if (chart.via === 'chartRef' && chart.source && chart.sourceKind === 'OCIRepository') {
      const ref = ['tag', 'semver']
        .map((field) => ({ field, node: nodeAtPath(chart.source!.parsed.root, ['spec', 'ref', field]) }))
        .find((candidate) => candidate.node !== undefined);
      if (!ref) {
        plan.notes.push(noteAt(workspace, chart.source.file, chart.source.index, 0, `${name}: the OCIRepository ${chart.sourceName ?? ''} pins no tag or semver (a digest or nothing); set the version by hand`));
        continue;
      }
      addEdit(workspace, plan, seen, chart.source.file, chart.source.index, ref.node!, targetVersion, `OCIRepository ${chart.sourceName ?? ''} ref.${ref.field}`);
      continue;
    }
    if (chart.via === 'chart' && (chart.sourceKind === 'HelmRepository' || chart.sourceKind === undefined)) {
      const node = nodeAtPath(document.parsed.root, ['spec', 'chart', 'spec', 'version']);
      if (!node) {
        plan.notes.push(noteAt(workspace, document.file, document.index, 0, `${name} pins no chart version (Flux installs the newest); add spec.chart.spec.version: "${targetVersion}" to pin the upgrade`));
        continue;
      }
      addEdit(workspace, plan, seen, document.file, document.index, node, targetVersion, `${name} chart`);
      continue;
    }
    plan.notes.push(noteAt(workspace, document.file, document.index, 0, `${name}: its chart comes from a ${chart.sourceKind ?? 'source'} meshlens does not rewrite; change its version by hand`));
  }
  return plan;
}

function addEdit(workspace: WorkspaceView, plan: UpgradePlan, seen: Set<string>, file: string, index: number, node: YamlNode, targetVersion: string, what: string): void {
  const documentStart = workspace.getFile(file)?.yaml.documents[index]?.start;
  if (documentStart === undefined) return;
  const key = `${file}:${documentStart + node.start}`;
  if (seen.has(key)) return; // one OCIRepository may serve several releases
  seen.add(key);
  if (node.type !== 'scalar') {
    plan.notes.push(noteAt(workspace, file, index, node.start, `${what} is not a plain version; change it by hand`));
    return;
  }
  if (textUnknownUntilRender(node.text)) {
    plan.notes.push(noteAt(workspace, file, index, node.start, `${what} is set through a substitution (${node.text}); set the variable to ${targetVersion}`));
    return;
  }
  const raw = workspace.getFile(file)!.text.slice(documentStart + node.start, documentStart + node.end);
  const quote = raw.startsWith('"') || raw.startsWith("'") ? raw[0] : '';
  const prefix = node.text.startsWith('v') ? 'v' : '';
  plan.edits.push({
    file,
    start: documentStart + node.start,
    end: documentStart + node.end,
    newText: `${quote}${prefix}${targetVersion}${quote}`,
    line: anchorLine(workspace, { file, document: index, start: node.start }),
    what: `${what} ${node.text} → ${prefix}${targetVersion}`,
  });
}

function noteAt(workspace: WorkspaceView, file: string, index: number, offset: number, message: string) {
  return { file, line: anchorLine(workspace, { file, document: index, start: offset }), message };
}
