/**
 * Requests beyond the standard set (CodeLens, effective policy, simulate,
 * kernel matrix): each area registers its handlers here. Handlers stay a few
 * lines: find the document, call the core, convert. Handlers that need
 * Node (comparing with a git revision, `reviewHandlers.ts`) are registered by
 * the platform (`../platform.ts`).
 */

export type { HandlerContext } from './context';
import type { HandlerContext } from './context';
import { registerKernelHandlers } from './kernelHandlers';
import { registerMapHandlers } from './mapHandlers';
import { registerPolicyHandlers } from './policyHandlers';
import { registerStatusHandlers } from './statusHandlers';
import { registerUpgradeHandler } from './upgradeHandler';

export function registerExtraHandlers(context: HandlerContext): void {
  registerKernelHandlers(context);
  registerPolicyHandlers(context);
  registerStatusHandlers(context);
  registerMapHandlers(context);
  registerUpgradeHandler(context);
}
