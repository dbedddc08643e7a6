/** The cilium family of rules (`cnp/*`, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy); `rules/index.ts` includes this list. */

import type { Rule } from '../types';
import { bothSubjectSelectors } from './bothSubjectSelectors';
import { cidrExceptOutside } from './cidrExceptOutside';
import { deprecatedRequires } from './deprecatedRequires';
import { dnsPortRange } from './dnsPortRange';
import { dnsRulesOnIngress } from './dnsRulesOnIngress';
import { dnsRulesWithoutPort } from './dnsRulesWithoutPort';
import { emptyPeerList } from './emptyPeerList';
import { fqdnWithoutDnsRule } from './fqdnWithoutDnsRule';
import { hostPolicyL7 } from './hostPolicyL7';
import { icmpsWithToPorts } from './icmpsWithToPorts';
import { invalidCidr } from './invalidCidr';
import { invalidFqdnSelector } from './invalidFqdnSelector';
import { invalidHeaderMatch } from './invalidHeaderMatch';
import { invalidHttpRegex } from './invalidHttpRegex';
import { invalidPort } from './invalidPort';
import { invalidProtocol } from './invalidProtocol';
import { l7MultipleTypes } from './l7MultipleTypes';
import { l7PortZero } from './l7PortZero';
import { l7ProxyDisabled } from './l7ProxyDisabled';
import { l7RequiresTcp } from './l7RequiresTcp';
import { listenerMisuse } from './listenerMisuse';
import { missingSubjectSelector } from './missingSubjectSelector';
import { nodePeersNeedSelectorLabels } from './nodePeersNeedSelectorLabels';
import { nodeSelectorInCnp } from './nodeSelectorInCnp';
import { noRuleSections } from './noRuleSections';
import { peerKindsCombined } from './peerKindsCombined';
import { portRangeIgnored } from './portRangeIgnored';
import { removedL7Protocol } from './removedL7Protocol';
import { serverNamesWithoutTls } from './serverNamesWithoutTls';
import { toServicesWithPorts } from './toServicesWithPorts';
import { tooManyPorts } from './tooManyPorts';
import { unknownEntity } from './unknownEntity';
import { clusterwideDefaultDeny } from './clusterwideDefaultDeny';
import { defaultDenyWithoutSection } from './defaultDenyWithoutSection';
import { emptyIcmpRule } from './emptyIcmpRule';
import { httpOnTlsPort } from './httpOnTlsPort';
import { httpRootPathOnly } from './httpRootPathOnly';

export const CILIUM_RULES: readonly Rule[] = [
  // Subject and rule shape
  missingSubjectSelector,
  bothSubjectSelectors,
  nodeSelectorInCnp,
  noRuleSections,
  defaultDenyWithoutSection,
  clusterwideDefaultDeny,
  // Peers
  peerKindsCombined,
  toServicesWithPorts,
  unknownEntity,
  invalidCidr,
  cidrExceptOutside,
  emptyPeerList,
  deprecatedRequires,
  nodePeersNeedSelectorLabels,
  invalidFqdnSelector,
  fqdnWithoutDnsRule,
  // Ports and ICMP
  invalidPort,
  invalidProtocol,
  portRangeIgnored,
  tooManyPorts,
  icmpsWithToPorts,
  emptyIcmpRule,
  // L7
  l7RequiresTcp,
  l7PortZero,
  l7MultipleTypes,
  dnsRulesOnIngress,
  dnsRulesWithoutPort,
  dnsPortRange,
  invalidHttpRegex,
  httpRootPathOnly,
  httpOnTlsPort,
  invalidHeaderMatch,
  serverNamesWithoutTls,
  listenerMisuse,
  hostPolicyL7,
  l7ProxyDisabled,
  removedL7Protocol,
];
