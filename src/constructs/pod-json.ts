/*
 * The Kubernetes JSON the hardened workloads build, as small local types (internal: not
 * exported from the package). Only the fields the constructs write are named; the fix pass
 * may add others, which the index signatures keep.
 */

/** A container's security context. @internal */
export interface SecurityContextJson {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  [field: string]: unknown;
}

/** A pod's security context. @internal */
export interface PodSecurityContextJson {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  [field: string]: unknown;
}

/** A probe. @internal */
export interface ProbeJson {
  httpGet?: { path: string; port: number; scheme: string };
  tcpSocket?: { port: number };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

/** A container port. @internal */
export interface ContainerPortJson {
  name: string;
  containerPort: number;
  protocol: string;
}

/** An environment variable. @internal */
export interface EnvVarJson {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/** A volume mount. @internal */
export interface VolumeMountJson {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

/** A pod volume. @internal */
export interface VolumeJson {
  name: string;
  emptyDir?: { sizeLimit?: string };
  secret?: { secretName: string; defaultMode: number; items?: { key: string; path: string }[] };
  configMap?: { name: string; defaultMode: number; items?: { key: string; path: string }[] };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  [field: string]: unknown;
}

/** A container (or init container). @internal */
export interface ContainerJson {
  name: string;
  image: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPortJson[];
  env?: EnvVarJson[];
  resources?: { requests?: { [resource: string]: string }; limits?: { [resource: string]: string } };
  securityContext?: SecurityContextJson;
  volumeMounts?: VolumeMountJson[];
  livenessProbe?: ProbeJson;
  readinessProbe?: ProbeJson;
  startupProbe?: ProbeJson;
  restartPolicy?: string;
  [field: string]: unknown;
}

/** A pod spec. @internal */
export interface PodSpecJson {
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  securityContext?: PodSecurityContextJson;
  initContainers?: ContainerJson[];
  containers: ContainerJson[];
  volumes?: VolumeJson[];
  restartPolicy?: string;
  [field: string]: unknown;
}

/** A pod template: metadata and spec. @internal */
export interface PodTemplateJson {
  metadata: { labels: { [key: string]: string }; annotations?: { [key: string]: string } };
  spec: PodSpecJson;
}
