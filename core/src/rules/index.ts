/**
 * The one list of every check meshlens runs. Documentation
 * (`docs/rules/*.md`), SARIF rule metadata and settings all come from here.
 */

import { aliasExpansion } from './yaml/aliasExpansion';
import { duplicateKey } from './yaml/duplicateKey';
import { fileSkipped } from './yaml/fileSkipped';
import { syntax } from './yaml/syntax';
import { tooDeep } from './yaml/tooDeep';
import { unknownAlias } from './yaml/unknownAlias';
import { unknownSuppressionRule } from './yaml/unknownSuppressionRule';
import { byteOrderMark } from './yaml/byteOrderMark';
import { invalidType } from './schema/invalidType';
import { invalidValue } from './schema/invalidValue';
import { missingRequired } from './schema/missingRequired';
import { unknownField } from './schema/unknownField';
import { unknownKind } from './schema/unknownKind';
import { CILIUM_RULES } from './cilium/index';
import { FLUX_RULES } from './flux/index';
import { HELM_RULES } from './helm/index';
import { ISTIO_RULES } from './istio/index';
import { KERNEL_RULES } from './kernel/index';
import { policyTestCaseFails } from './policytest/caseFails';
import { policyTestUnknownCluster } from './policytest/unknownCluster';
import type { Rule } from './types';

export const ALL_RULES: readonly Rule[] = [
  syntax,
  duplicateKey,
  unknownAlias,
  tooDeep,
  aliasExpansion,
  fileSkipped,
  unknownSuppressionRule,
  byteOrderMark,
  unknownField,
  unknownKind,
  invalidType,
  missingRequired,
  invalidValue,
  ...CILIUM_RULES,
  ...ISTIO_RULES,
  ...FLUX_RULES,
  ...HELM_RULES,
  ...KERNEL_RULES,
  policyTestCaseFails,
  policyTestUnknownCluster,
];

const BY_ID = new Map(ALL_RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
