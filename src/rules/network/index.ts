/**
 * The network rules of the hardened profile.
 */
import { ingressHostWildcard } from './ingress-host-wildcard';
import { ingressTls } from './ingress-tls';
import { namespaceDefaultDeny } from './namespace-default-deny';
import { serviceExternalIps } from './service-external-ips';
import { serviceLoadBalancer } from './service-load-balancer';
import { serviceNodePort } from './service-node-port';
import { IRule } from '../../engine/types';

/** Every network rule. */
export const NETWORK_RULES: IRule[] = [
  serviceExternalIps,
  serviceNodePort,
  serviceLoadBalancer,
  ingressTls,
  ingressHostWildcard,
  namespaceDefaultDeny,
];
