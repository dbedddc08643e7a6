/** The flux family of rules; `rules/index.ts` includes this list. */

import type { Rule } from '../types';
import { chartOrChartRef } from './chartOrChartRef';
import { ciliumHealthChecks } from './ciliumHealthChecks';
import { crossNamespaceReference } from './crossNamespaceReference';
import { dependsOnCycle } from './dependsOnCycle';
import { deprecatedApiVersion } from './deprecatedApiVersion';
import { healthCheckMissingApiVersion } from './healthCheckMissingApiVersion';
import { healthCheckMissingNamespace } from './healthCheckMissingNamespace';
import { kubeProxyWithReplacement } from './kubeProxyWithReplacement';
import { secondCni } from './secondCni';
import { referenceNotFound } from './referenceNotFound';
import { referenceWrongKind } from './referenceWrongKind';
import { waitIgnoresHealthChecks } from './waitIgnoresHealthChecks';
import { rollbackRecreateIgnored } from './rollbackRecreateIgnored';

export const FLUX_RULES: readonly Rule[] = [
  deprecatedApiVersion,
  chartOrChartRef,
  referenceNotFound,
  referenceWrongKind,
  crossNamespaceReference,
  dependsOnCycle,
  waitIgnoresHealthChecks,
  healthCheckMissingApiVersion,
  healthCheckMissingNamespace,
  ciliumHealthChecks,
  secondCni,
  kubeProxyWithReplacement,
  rollbackRecreateIgnored,
];
