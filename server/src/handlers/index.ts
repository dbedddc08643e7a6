/**
 * Requests beyond the standard set (CodeLens, effective policy, simulate,
 * kernel matrix): each area registers its handlers here. Handlers stay a few
 * lines: find the document, call the core, convert.
 */

import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisOptions, MeshlensService } from '../../../core/src/index';

export interface HandlerContext {
  connection: Connection;
  service: MeshlensService;
  documents: TextDocuments<TextDocument>;
  options: () => AnalysisOptions;
  syncedFile: (uri: string) => { file: string; document: TextDocument } | undefined;
}

import { registerKernelHandlers } from './kernelHandlers';
import { registerPolicyHandlers } from './policyHandlers';
import { registerReviewHandlers, registerUpgradeHandler } from './reviewHandlers';
import { registerStatusHandlers } from './statusHandlers';

export function registerExtraHandlers(context: HandlerContext): void {
  registerKernelHandlers(context);
  registerPolicyHandlers(context);
  registerReviewHandlers(context);
  registerUpgradeHandler(context);
  registerStatusHandlers(context);
}
