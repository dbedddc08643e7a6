/** The istio family of rules (`authz/*`, AuthorizationPolicy); `rules/index.ts` includes this list. */

import type { Rule } from '../types';
import { actionWithoutRules } from './actionWithoutRules';
import { conflictingScope } from './conflictingScope';
import { customIdentityField } from './customIdentityField';
import { denyHttpOnlyWithoutPorts } from './denyHttpOnlyWithoutPorts';
import { emptyMatch } from './emptyMatch';
import { httpMethod } from './httpMethod';
import { invalidCondition } from './invalidCondition';
import { invalidIpBlock } from './invalidIpBlock';
import { invalidPathTemplate } from './invalidPathTemplate';
import { invalidPort } from './invalidPort';
import { invalidSelector } from './invalidSelector';
import { invalidServiceAccount } from './invalidServiceAccount';
import { invalidTargetRef } from './invalidTargetRef';
import { invalidTrustDomain } from './invalidTrustDomain';
import { l7OnZtunnel } from './l7OnZtunnel';
import { pathNeverMatches } from './pathNeverMatches';
import { providerMismatch } from './providerMismatch';
import { selectorMatchesNothing } from './selectorMatchesNothing';
import { unknownNamespace } from './unknownNamespace';
import { unknownServiceAccount } from './unknownServiceAccount';
import { unsupportedActionOnZtunnel } from './unsupportedActionOnZtunnel';
import { unsupportedInVersion } from './unsupportedInVersion';
import { waypointNotAttached } from './waypointNotAttached';

import { identityWithoutMtls } from './identityWithoutMtls';
import { rootAllowAll } from './rootAllowAll';
import { splitFromTo } from './splitFromTo';
import { targetNamespaceOverride } from './targetNamespaceOverride';

export const ISTIO_RULES: readonly Rule[] = [
  // Rejected by the CRD validation or istiod's webhook.
  conflictingScope,
  providerMismatch,
  actionWithoutRules,
  emptyMatch,
  invalidSelector,
  invalidTargetRef,
  invalidPort,
  invalidIpBlock,
  invalidPathTemplate,
  invalidCondition,
  customIdentityField,
  invalidServiceAccount,
  invalidTrustDomain,
  unsupportedInVersion,
  // Accepted, but misbehaves.
  denyHttpOnlyWithoutPorts,
  httpMethod,
  pathNeverMatches,
  splitFromTo,
  // Across files: ambient enforcement and workspace references.
  l7OnZtunnel,
  unsupportedActionOnZtunnel,
  waypointNotAttached,
  selectorMatchesNothing,
  unknownNamespace,
  unknownServiceAccount,
  rootAllowAll,
  identityWithoutMtls,
  targetNamespaceOverride,
];
