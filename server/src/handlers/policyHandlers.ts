/** Custom requests of the effective-policy model (`meshlens/effectivePolicy`, `meshlens/simulate`). */

import type { HandlerContext } from './index';

export function registerPolicyHandlers(context: HandlerContext): void {
  void context;
}
