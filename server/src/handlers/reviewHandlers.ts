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
 * Node only (git, a temporary folder): registered by `nodePlatform.ts`. The
 * upgrade review, which needs neither, is `upgradeHandler.ts`.
 */

import { readFileSync, realpathSync } from 'node:fs';
import { RequestType } from 'vscode-languageserver';
import { join, relative, sep } from 'node:path';
import { compareFindings, comparePolicies, MeshlensService, renderReviewMarkdown, type Review } from '../../../core/src/index';
import { GitError, gitTopLevel, materializeRevision } from '../../../host/src/gitRevision';
import { toKey, walkYamlFilesSync } from '../../../host/src/yamlFiles';
import type { HandlerContext } from './context';
import { rememberComparison } from './lastComparison';
import { relabelFiles } from './reviewLabels';
import { COMPARE_REQUEST, type CompareParams, type CompareResponse } from '../../../protocol/src/messages';

const COMPARE_TYPE = new RequestType<CompareParams | undefined, CompareResponse, void>(COMPARE_REQUEST);


const REF = /^[A-Za-z0-9._/@{}^~+-]{1,200}$/;

/** `unavailable`: why a comparison cannot run now (a virtual workspace folder), answered as the error. */
export function registerReviewHandlers(context: HandlerContext, unavailable: () => string | undefined = () => undefined): void {
  let running = false;
  context.connection.onRequest(COMPARE_TYPE, (params): CompareResponse => {
    const reason = unavailable();
    if (reason !== undefined) return { error: `not available here: ${reason}` };
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
