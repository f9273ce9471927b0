/**
 * Secure-by-default cdk8s constructs (exported from the package root).
 */
export { Acknowledgement, Suppressions } from './suppressions';
export {
  NetworkProtocol, NetworkPort, NetworkPeer, PeerFlow, NetworkFlow,
  DefaultDenyNetworkPolicyProps, DefaultDenyNetworkPolicy,
} from './default-deny-network-policy';
export { HealthProbe } from './probe';
export {
  ContainerPort, ContainerResources, SecretKeyReference, SecretVolume, ConfigMapVolume, ClaimVolume, ServiceAccountToken,
  ContainerRestartPolicy, ContainerOptions, HardenedContainerProps, HardenedInitContainerProps,
} from './container';
export { HardenedWorkloadProps, HardenedPodTemplate, HardenedWorkload } from './hardened-pod-template';
export { HardenedDeploymentProps, HardenedDeployment } from './hardened-deployment';
export { HardenedDaemonSetProps, HardenedDaemonSet } from './hardened-daemon-set';
export { GuardOptions, Guard } from './guard';
export { HardeningOptions, HardeningChange, Hardening } from './hardening';
export { PersistentStorage, HardenedStatefulSetProps, HardenedStatefulSet } from './hardened-stateful-set';
export { JobRunOptions, HardenedJobProps, HardenedJob } from './hardened-job';
export { ConcurrencyPolicy, HardenedCronJobProps, HardenedCronJob } from './hardened-cron-job';
export {
  RolePermission, SubjectKind, RoleSubject, RuleAcknowledgement, LeastPrivilegeRoleProps, LeastPrivilegeRole,
} from './least-privilege-role';
export { SealingScope, SealedSecretRefProps, ExistingSealedSecretProps, SealedSecretRef } from './sealed-secret-ref';
export {
  AuditLevel, AuditResources, AuditRule, AuditRulePosition, AuditPolicyProps, AuditPolicy,
} from './audit-policy';
export { NamespaceQuota, ContainerLimits, HardenedNamespaceProps, HardenedNamespace } from './hardened-namespace';
export {
  ValidationViolatingResource, ValidationViolation, IValidationReport, IValidationLogger, IValidationContext,
  KubehardenValidationProps, KubehardenValidation,
} from './validation-plugin';
export { AdmissionPolicies, AdmissionPoliciesProps } from './admission-policies';
