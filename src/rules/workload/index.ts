/**
 * The workload rules of the hardened profile.
 */
import { allowedRegistries } from './allowed-registries';
import { automountServiceAccountToken } from './automount-service-account-token';
import { containerRuntimeSocket } from './container-runtime-socket';
import { cpuLimits } from './cpu-limits';
import { cpuRequests } from './cpu-requests';
import { defaultServiceAccount } from './default-service-account';
import { envLiteralSecret } from './env-literal-secret';
import { imageDigest } from './image-digest';
import { imageLatestTag } from './image-latest-tag';
import { memoryLimits } from './memory-limits';
import { memoryRequests } from './memory-requests';
import { persistentVolumeHostPath } from './persistent-volume-host-path';
import { readOnlyRootFilesystem } from './read-only-root-filesystem';
import { rootGroup } from './root-group';
import { IRule } from '../../engine/types';

/** Every workload rule. */
export const WORKLOAD_RULES: IRule[] = [
  containerRuntimeSocket,
  envLiteralSecret,
  imageLatestTag,
  allowedRegistries,
  readOnlyRootFilesystem,
  rootGroup,
  automountServiceAccountToken,
  memoryLimits,
  defaultServiceAccount,
  imageDigest,
  cpuRequests,
  cpuLimits,
  memoryRequests,
  persistentVolumeHostPath,
];
