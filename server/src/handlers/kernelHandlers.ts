/** Custom requests of the kernel-feature matrix (e.g. `meshlens/kernelMatrix`). */

import type { HandlerContext } from './index';

export function registerKernelHandlers(context: HandlerContext): void {
  void context;
}
