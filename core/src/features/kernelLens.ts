/**
 * Code lenses of the kernel-feature matrix: one line above each Cilium
 * HelmRelease saying the highest kernel its version and enabled features
 * ask for, and how each node pool fares ("needs kernel ≥ 5.18 (pools:
 * general 6.8 ✓, legacy 5.4 ✗)"). Shown even when no pool is known.
 * Clicking it opens the kernel report view of that release
 * (`meshlens.showKernelReport` with the file key and document index, which
 * the server's `meshlens/kernelReport` request takes back).
 *
 * Invariant: reads the memoized release models only; never throws.
 */

import type { CodeLensItem, CodeLensProvider } from './codeLens';
import { kernelLensTitle } from '../kernel/lensText';
import { releaseKernelModels } from '../kernel/releaseKernel';
import { containedError } from '../util/containedErrors';

export const SHOW_KERNEL_REPORT_COMMAND = 'meshlens.showKernelReport';

const kernelLens: CodeLensProvider = ({ workspace, file, options }) => {
  try {
    const items: CodeLensItem[] = [];
    for (const model of releaseKernelModels(workspace, options)) {
      if (model.release.document.file !== file.path || !model.minor) continue;
      const document = file.yaml.documents[model.release.document.index];
      if (!document) continue;
      const start = document.start + (document.parsed.root?.start ?? 0);
      items.push({
        start,
        end: start,
        title: kernelLensTitle(model),
        command: { id: SHOW_KERNEL_REPORT_COMMAND, arguments: [{ file: model.release.document.file, document: model.release.document.index }] },
      });
    }
    return items;
  } catch (error) {
    containedError('features/kernel-lens', error);
    return [];
  }
};

export const KERNEL_CODE_LENSES: CodeLensProvider[] = [kernelLens];
