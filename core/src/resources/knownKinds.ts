/**
 * The kinds each API group meshlens owns serves (any version), so that a
 * misspelled `kind` is found instead of the document being skipped silently.
 * Lists name every kind of the group, modelled or not, so a real kind is
 * never reported; the modelled ones are the suggestions.
 *
 * Invariant: data only; a group missing here is never checked.
 */

export const KNOWN_KINDS: ReadonlyMap<string, readonly string[]> = new Map([
  [
    'cilium.io',
    [
      'CiliumNetworkPolicy',
      'CiliumClusterwideNetworkPolicy',
      'CiliumCIDRGroup',
      'CiliumEndpoint',
      'CiliumEndpointSlice',
      'CiliumIdentity',
      'CiliumNode',
      'CiliumNodeConfig',
      'CiliumExternalWorkload',
      'CiliumLocalRedirectPolicy',
      'CiliumEgressGatewayPolicy',
      'CiliumEnvoyConfig',
      'CiliumClusterwideEnvoyConfig',
      'CiliumLoadBalancerIPPool',
      'CiliumL2AnnouncementPolicy',
      'CiliumPodIPPool',
      'CiliumBGPPeeringPolicy',
      'CiliumBGPClusterConfig',
      'CiliumBGPPeerConfig',
      'CiliumBGPAdvertisement',
      'CiliumBGPNodeConfig',
      'CiliumBGPNodeConfigOverride',
      'CiliumGatewayClassConfig',
    ],
  ],
  ['security.istio.io', ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication']],
  ['helm.toolkit.fluxcd.io', ['HelmRelease']],
  ['source.toolkit.fluxcd.io', ['GitRepository', 'HelmRepository', 'HelmChart', 'OCIRepository', 'Bucket', 'ExternalArtifact']],
  ['kustomize.toolkit.fluxcd.io', ['Kustomization']],
  ['meshlens.dev', ['NodeProfile', 'PolicyTest', 'Workloads']],
]);
