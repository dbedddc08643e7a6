/**
 * The editor's "Check Upgrade to …" (`meshlens/upgradeReport`
 * `{cilium?, istio?, flux?, kernel?}` → `{markdown}` or `{error}`): the
 * workspace today (open editors included) against a copy of it judged with
 * the target versions (the Cilium chart pin moved to the target first), the
 * review `meshlens upgrade` prints. Needs no git and no file system of its
 * own (the copy reads referenced files through the platform, confined to the
 * workspace), so it runs in the browser server too.
 */

import { RequestType } from 'vscode-languageserver';
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
import { UPGRADE_REQUEST, type UpgradeParams, type UpgradeResponse } from '../../../protocol/src/messages';
import type { HandlerContext } from './context';
import { relabelFiles, workspaceRelative } from './reviewLabels';

const UPGRADE_TYPE = new RequestType<UpgradeParams | undefined, UpgradeResponse, void>(UPGRADE_REQUEST);

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
      const after = new MeshlensService({ roots: [...context.service.roots()], host: { readFile: context.readReferencedFile } });
      for (const file of files) after.setFile(file, context.service.workspace.getFile(file)?.text ?? '');
      const plan = ciliumTarget && 'version' in ciliumTarget ? planCiliumUpgrade(context.service.workspace, ciliumTarget.version) : { edits: [], notes: [] };
      const byFile = new Map<string, typeof plan.edits>();
      for (const edit of plan.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
      for (const [file, edits] of byFile) {
        const text = context.service.workspace.getFile(file)?.text;
        if (text !== undefined) after.setFile(file, applyEdits(text, edits).text);
      }
      const shown = (file: string) => (root ? workspaceRelative(root, file) : file);
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
