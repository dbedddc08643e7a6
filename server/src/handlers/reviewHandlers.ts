/**
 * The editor's "Compare Effective Policy with Branch…" (`meshlens/compareWithRevision`
 * `{ref}` → `{markdown, base, head}` or `{error}`): the workspace as it is now
 * (open editors included) against a git revision of the same repository — the
 * findings the change introduces and fixes and what it does to who may talk
 * to whom, the same review `meshlens diff --base REF` prints, as Markdown.
 *
 * The revision's files are written by git into a temporary folder
 * (`host/src/gitRevision.ts`), analysed by a second service and removed
 * afterwards. Paths in the review are relative to the workspace folder, so
 * the client's links open them. One comparison at a time; a ref is checked
 * (no leading `-`, bounded length) before git sees it.
 *
 * The last comparison is remembered (`lastComparison`): the effective-policy
 * view of a workload then lists what differs from that revision.
 *
 * `meshlens/upgradeReport` `{cilium?, istio?, flux?, kernel?}` → `{markdown}`
 * or `{error}` is the editor's "Check Upgrade to …": the workspace today
 * against a copy of it judged with the target versions (the Cilium chart pin
 * moved to the target first), the review `meshlens upgrade` prints.
 */

import { readFileSync, realpathSync } from 'node:fs';
import { RequestType } from 'vscode-languageserver';
import { join, relative, sep } from 'node:path';
import {
  applyEdits,
  compareFindings,
  comparePolicies,
  MeshlensService,
  planCiliumUpgrade,
  renderReviewMarkdown,
  resolveCiliumTarget,
  type Review,
} from '../../../core/src/index';
import { GitError, gitTopLevel, materializeRevision } from '../../../host/src/gitRevision';
import { toKey, walkYamlFilesSync } from '../../../host/src/yamlFiles';
import type { HandlerContext } from './context';
import { rememberComparison } from './lastComparison';
import { COMPARE_REQUEST, UPGRADE_REQUEST, type CompareParams, type CompareResponse, type UpgradeParams, type UpgradeResponse } from '../../../protocol/src/messages';

const COMPARE_TYPE = new RequestType<CompareParams | undefined, CompareResponse, void>(COMPARE_REQUEST);
const UPGRADE_TYPE = new RequestType<UpgradeParams | undefined, UpgradeResponse, void>(UPGRADE_REQUEST);


const REF = /^[A-Za-z0-9._/@{}^~+-]{1,200}$/;

/** A copy of the review with every `file` field passed through `display` (workspace-relative paths, so links open). */
function relabelFiles(review: Review, display: (file: string) => string): Review {
  return JSON.parse(JSON.stringify(review), (key, value: unknown) => (key === 'file' && typeof value === 'string' ? display(value) : value)) as Review;
}

export function registerReviewHandlers(context: HandlerContext): void {
  let running = false;
  context.connection.onRequest(COMPARE_TYPE, (params): CompareResponse => {
    const ref = typeof params?.ref === 'string' ? params.ref.trim() : '';
    if (!REF.test(ref) || ref.startsWith('-')) return { error: `"${ref.slice(0, 80)}" is not a git revision name` };
    const root = context.service.roots()[0];
    if (!root) return { error: 'open a folder to compare it with a branch' };
    if (running) return { error: 'a comparison is already running' };
    running = true;
    try {
      return compare(context, root, ref);
    } catch (error) {
      return { error: error instanceof GitError ? error.message : `the comparison failed: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      running = false;
    }
  });
}

function compare(context: HandlerContext, root: string, ref: string): CompareResponse {
  // What the editors hold, not what was last checked: pending edits are applied first.
  for (const document of context.documents.all()) context.syncedFile(document.uri);
  const folder = realpathSync(root);
  const top = gitTopLevel(folder);
  const inRepository = relative(top, folder).split(sep).join('/');
  const revision = materializeRevision(top, ref, [inRepository]);
  try {
    const baseFolder = toKey(join(revision.root, ...inRepository.split('/').filter(Boolean)));
    const baseFiles = walkYamlFilesSync(baseFolder, baseFolder, []).files.map((file) => file.key);
    const base = new MeshlensService({ roots: [baseFolder], host: { readFile: (path) => readFileSync(path, 'utf8') } });
    for (const file of baseFiles) base.setFile(file, readFileSync(file, 'utf8'));
    const options = context.options();
    const inside = (file: string, under: string) => file === under || file.startsWith(`${under}/`) || file.startsWith(`${under}${sep}`);
    const headFiles = context.service.workspace.files().filter((file) => inside(file, root) && /\.ya?ml$/i.test(file));
    const shown = (under: string) => (file: string) => relative(under, file).split(sep).join('/');
    const before = base.reviewSnapshot(baseFiles, shown(baseFolder), options);
    const after = context.service.reviewSnapshot(headFiles, shown(root), options);
    const review: Review = { baseLabel: ref, headLabel: 'the workspace', findings: compareFindings(before.findings, after.findings), impact: comparePolicies(before.models, after.models) };
    // Base sources are shown with their workspace-relative path too.
    const relabelled = relabelFiles(review, (file) => (file.startsWith(baseFolder) ? shown(baseFolder)(file) : file.startsWith(root) ? shown(root)(file) : file));
    rememberComparison({ ref, changes: relabelled.impact.changes });
    return { markdown: `# Compared with ${ref}\n\n${renderReviewMarkdown(relabelled)}`, base: ref, head: root };
  } finally {
    revision.cleanup();
  }
}

const VERSION = { cilium: /^v?1\.\d{1,3}(\.\d{1,3})?$/, istio: /^v?1\.\d{1,3}(\.\d{1,3})?$/, flux: /^v?2\.\d{1,3}(\.\d{1,3})?$/, kernel: /^\d+\.\d+[\w.+~-]{0,60}$/ };

export function registerUpgradeHandler(context: HandlerContext): void {
  context.connection.onRequest(UPGRADE_TYPE, (params): UpgradeResponse => {
    const read = (name: keyof typeof VERSION) => {
      const value = params?.[name];
      if (value === undefined || value === '') return undefined;
      if (typeof value !== 'string' || !VERSION[name].test(value.trim())) throw new Error(`"${String(value).slice(0, 40)}" is not a ${name} version`);
      return value.trim();
    };
    try {
      const cilium = read('cilium');
      const istio = read('istio');
      const flux = read('flux');
      const kernel = read('kernel');
      if (!cilium && !istio && !flux && !kernel) return { error: 'name at least one target version (Cilium, Istio, Flux or a kernel release)' };
      const ciliumTarget = cilium === undefined ? undefined : resolveCiliumTarget(cilium);
      if (ciliumTarget && 'error' in ciliumTarget) return { error: ciliumTarget.error };
      for (const document of context.documents.all()) context.syncedFile(document.uri);
      const current = context.options();
      const target = {
        ...current,
        ...(istio ? { istioVersion: istio.replace(/^v/, '') } : {}),
        ...(flux ? { fluxVersion: flux.replace(/^v/, '') } : {}),
        ...(kernel ? { kernelVersion: kernel } : {}),
      };
      const root = context.service.roots()[0] ?? '';
      const files = context.service.workspace.files().filter((file) => /\.ya?ml$/i.test(file));
      // The same workspace after the upgrade: its texts, the Cilium pin moved to the target.
      const after = new MeshlensService({ roots: [...context.service.roots()], host: { readFile: (path) => readFileSync(path, 'utf8') } });
      for (const file of files) after.setFile(file, context.service.workspace.getFile(file)?.text ?? '');
      const plan = ciliumTarget && 'version' in ciliumTarget ? planCiliumUpgrade(context.service.workspace, ciliumTarget.version) : { edits: [], notes: [] };
      const byFile = new Map<string, typeof plan.edits>();
      for (const edit of plan.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
      for (const [file, edits] of byFile) {
        const text = context.service.workspace.getFile(file)?.text;
        if (text !== undefined) after.setFile(file, applyEdits(text, edits).text);
      }
      const shown = (file: string) => (root ? relative(root, file).split(sep).join('/') : file);
      const before = context.service.reviewSnapshot(files, shown, current);
      const upgraded = after.reviewSnapshot(files, shown, target);
      const targets = [ciliumTarget && 'version' in ciliumTarget ? `Cilium ${ciliumTarget.version}` : undefined, istio && `Istio ${istio}`, flux && `Flux ${flux}`, kernel && `kernel ${kernel}`].filter(Boolean);
      const review: Review = { baseLabel: 'today', headLabel: `after upgrading to ${targets.join(', ')}`, findings: compareFindings(before.findings, upgraded.findings), impact: comparePolicies(before.models, upgraded.models) };
      const relabelled = relabelFiles(review, (file) => (root && file.startsWith(root) ? shown(file) : file));
      const steps = plan.edits.length + plan.notes.length > 0
        ? ['#### Upgrade steps meshlens applied before checking', '', ...plan.edits.map((edit) => `- \`${shown(edit.file)}:${edit.line}\` ${edit.what}`), ...plan.notes.map((note) => `- \`${shown(note.file)}:${note.line}\` ${note.message}`), '']
        : [];
      return { markdown: `# Upgrade to ${targets.join(', ')}\n\n${steps.join('\n')}${renderReviewMarkdown(relabelled)}` };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });
}
