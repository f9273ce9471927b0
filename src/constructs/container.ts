/*
 * The containers of the hardened workloads: their props, and the plain container JSON
 * built from them. The plain container carries only what the props say (image, command,
 * ports, env, volumes, probes, resources given) and the loosenings asked for; its secure
 * defaults come from the rules' fixes (see secure-defaults.ts).
 */
import { checkAbsolute, DNS_LABEL } from './checks';
import { NetworkProtocol } from './default-deny-network-policy';
import { Loosening, LOOSENINGS } from './loosening';
import { ContainerJson, ContainerPortJson, EnvVarJson, VolumeJson, VolumeMountJson } from './pod-json';
import { HealthProbe, renderProbe } from './probe';
import { Acknowledgement, validateReason } from './suppressions';
import { checkEnvName, validateImage } from './validators';

/**
 * A container port.
 *
 * @example
 * const http: ContainerPort = { port: 8080, name: 'http' };
 */
export interface ContainerPort {
  /** Port number (1-65535). Ports below 1024 need NET_BIND_SERVICE; prefer a high port. */
  readonly port: number;
  /**
   * Port name (IANA_SVC_NAME: at most 15 lowercase alphanumerics and dashes).
   * @default - `http` for the first port of the main container, `port-<number>` for the others
   */
  readonly name?: string;
  /**
   * Protocol.
   * @default NetworkProtocol.TCP
   */
  readonly protocol?: NetworkProtocol;
  /**
   * Whether the workload's Service exposes the port (the main container's, a sidecar's or
   * a native sidecar's).
   * @default true
   */
  readonly service?: boolean;
}

/**
 * CPU and memory requests and limits of a container. A quantity not given is the
 * documented default, filled in by the resource rules' fixes; but a request not given
 * beside a limit given is the limit, as Kubernetes defaults it.
 *
 * @example
 * const resources: ContainerResources = { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' };
 */
export interface ContainerResources {
  /**
   * CPU request.
   * @default '100m'
   */
  readonly cpuRequest?: string;
  /**
   * CPU limit.
   * @default '500m'
   */
  readonly cpuLimit?: string;
  /**
   * Memory request.
   * @default '128Mi'
   */
  readonly memoryRequest?: string;
  /**
   * Memory limit.
   * @default '256Mi'
   */
  readonly memoryLimit?: string;
}

/**
 * A key of a Secret, as an environment value (see `SealedSecretRef.envValue`).
 *
 * @example
 * const password: SecretKeyReference = { secretName: 'db-credentials', key: 'password' };
 */
export interface SecretKeyReference {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key in the Secret. */
  readonly key: string;
}

/**
 * A Secret mounted as files (see `SealedSecretRef.volume`).
 *
 * @example
 * const tls: SecretVolume = { secretName: 'web-tls', mountPath: '/etc/tls' };
 */
export interface SecretVolume {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Directory the keys appear in (read-only). */
  readonly mountPath: string;
  /**
   * Keys to mount.
   * @default - every key of the Secret
   */
  readonly keys?: string[];
}

/**
 * A ConfigMap mounted as read-only files.
 *
 * @example
 * const nginx: ConfigMapVolume = { configMapName: 'web-nginx', mountPath: '/etc/nginx/conf.d' };
 */
export interface ConfigMapVolume {
  /** Name of the ConfigMap. */
  readonly configMapName: string;
  /** Directory the keys appear in (read-only). */
  readonly mountPath: string;
  /**
   * Keys to mount.
   * @default - every key of the ConfigMap
   */
  readonly keys?: string[];
}

/**
 * A PersistentVolumeClaim mounted in a container (for a StatefulSet's own volumes, see
 * `PersistentStorage`).
 *
 * @example
 * const uploads: ClaimVolume = { claimName: 'uploads', mountPath: '/srv/uploads' };
 */
export interface ClaimVolume {
  /** Name of the PersistentVolumeClaim (a DNS label). */
  readonly claimName: string;
  /** Where the volume is mounted. */
  readonly mountPath: string;
  /**
   * Mount the volume read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * Restart policy of an init container: `ALWAYS` makes it a Kubernetes native sidecar,
 * started before the main containers and kept running beside them.
 *
 * @example
 * const proxy: HardenedInitContainerProps = { name: 'proxy', image: 'registry.example.com/proxy:1.2.0', restartPolicy: ContainerRestartPolicy.ALWAYS };
 */
export enum ContainerRestartPolicy {
  /** Keep the init container running beside the main containers (a native sidecar, Kubernetes 1.29+). */
  ALWAYS = 'Always',
}

/**
 * What every hardened container takes besides its image and name: its command, ports,
 * configuration, volumes, probes, resources, and the (rare, reasoned) loosenings of its
 * hardened defaults.
 *
 * @example
 * const options: ContainerOptions = { args: ['--port=9090'], ports: [{ port: 9090, name: 'metrics' }] };
 */
export interface ContainerOptions {
  /**
   * Entrypoint (replaces the image's ENTRYPOINT).
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments (replace the image's CMD).
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Container ports.
   * @default - none
   */
  readonly ports?: ContainerPort[];
  /**
   * Configuration values as environment variables (never secrets: use `secretEnv`).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from Secret keys (e.g. `SealedSecretRef.envValue('password')`).
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * Secrets mounted as read-only files (e.g. `SealedSecretRef.volume('/etc/tls')`).
   * @default - none
   */
  readonly secretVolumes?: SecretVolume[];
  /**
   * ConfigMaps mounted as read-only files.
   * @default - none
   */
  readonly configMapVolumes?: ConfigMapVolume[];
  /**
   * PersistentVolumeClaims mounted in the container.
   * @default - none
   */
  readonly claimVolumes?: ClaimVolume[];
  /**
   * CPU and memory requests and limits.
   * @default - 100m/500m CPU, 128Mi/256Mi memory
   */
  readonly resources?: ContainerResources;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly livenessProbe?: HealthProbe;
  /**
   * Readiness probe.
   * @default - none
   */
  readonly readinessProbe?: HealthProbe;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startupProbe?: HealthProbe;
  /**
   * Loosening: a short-lived, audience-bound ServiceAccount token for this container
   * only, from a projected volume; the pod keeps `automountServiceAccountToken: false`.
   * @default - no token
   */
  readonly serviceAccountToken?: ServiceAccountToken;
  /**
   * Loosening: make the root filesystem of this container writable.
   * @default - read-only root filesystem
   */
  readonly writableRootFilesystem?: Acknowledgement;
  /**
   * Loosening: let processes of this container gain more privileges than their parent
   * (setuid binaries). Fails the Pod Security Standards restricted profile.
   * @default - privilege escalation is disallowed
   */
  readonly allowPrivilegeEscalation?: Acknowledgement;
}

/**
 * A ServiceAccount token for one container: short-lived, bound to an audience, mounted
 * read-only from a projected `serviceAccountToken` volume, while the pod keeps
 * `automountServiceAccountToken: false` (its other containers get no token). The token is
 * a credential, for the Kubernetes API or for the audience that accepts it, so asking for
 * one is a loosening: it takes a reason, recorded in the workload's
 * `loosened.kubeharden.io/service-account-token` annotation. Grant the ServiceAccount only
 * what the container needs (`LeastPrivilegeRole`).
 *
 * @example
 * const token: ServiceAccountToken = { reason: 'renews its leader-election Lease (Role web-leases)', expirationSeconds: 3600 };
 */
export interface ServiceAccountToken extends Acknowledgement {
  /**
   * The audience the token is for (a Vault role, a cloud's workload identity, …).
   * @default - the API server's own audience
   */
  readonly audience?: string;
  /**
   * Lifetime of the token in seconds, at least 600; the kubelet renews it before it expires.
   * @default 3600
   */
  readonly expirationSeconds?: number;
  /**
   * Directory the token file is mounted in (absolute).
   * @default '/var/run/secrets/tokens'
   */
  readonly mountPath?: string;
  /**
   * Name of the token file in that directory.
   * @default 'token'
   */
  readonly fileName?: string;
}

/**
 * A container beside the main one (`sidecars`, `addContainer`), with the same hardened defaults.
 *
 * @example
 * const shipper: HardenedContainerProps = { name: 'log-shipper', image: 'registry.example.com/fluent-bit:3.1.4' };
 */
export interface HardenedContainerProps extends ContainerOptions {
  /** Container image with a version tag or a digest (`:latest` and untagged images are refused). */
  readonly image: string;
  /** Name of the container (a DNS label, unique in the pod). */
  readonly name: string;
}

/**
 * An init container, run to completion before the main containers start, or, with
 * `restartPolicy: ContainerRestartPolicy.ALWAYS`, a native sidecar.
 *
 * @example
 * const migrate: HardenedInitContainerProps = { name: 'migrate', image: 'registry.example.com/migrate:5.0.0', args: ['up'] };
 */
export interface HardenedInitContainerProps extends HardenedContainerProps {
  /**
   * `ALWAYS` makes the init container a native sidecar (it may then have probes).
   * @default - runs to completion before the main containers start
   */
  readonly restartPolicy?: ContainerRestartPolicy;
}

/** Where a container goes in the pod. @internal */
export type ContainerField = 'containers' | 'initContainers';

/** A loosening a container asked for. @internal */
export interface ContainerLoosening {
  readonly loosening: Loosening;
  readonly reason: string;
  readonly container: string;
}

/** A container built from its props: the plain container and the volumes it mounts. @internal */
export interface PlainContainer {
  readonly field: ContainerField;
  readonly json: ContainerJson;
  readonly volumes: VolumeJson[];
  readonly loosenings: ContainerLoosening[];
  readonly ports: ContainerPortJson[];
  /** The ports the workload's Service exposes. */
  readonly servicePorts: ContainerPortJson[];
}

/** Numbers the pod's volumes of each kind (secret-0, config-0, claim-0, …). @internal */
export interface VolumeCounter {
  secret: number;
  config: number;
  claim: number;
  token: number;
}

/** What a container is built with. @internal */
export interface ContainerBuild {
  readonly field: ContainerField;
  readonly image: string;
  readonly name: string;
  readonly options: ContainerOptions;
  readonly restartPolicy?: ContainerRestartPolicy;
  /** Whether an unnamed first port is `http`. */
  readonly main: boolean;
  readonly where: string;
}

/**
 * The plain container (no security default of its own), with its volumes and loosenings.
 * @throws `<where>: …` on an invalid prop
 * @internal
 */
export function plainContainer(build: ContainerBuild, counter: VolumeCounter): PlainContainer {
  const { options: o, name, where } = build;
  const at = `${where} container "${name}"`;
  if (typeof name !== 'string' || name.length > 63 || !DNS_LABEL.test(name)) {
    throw new Error(`${where}: container name must be a DNS label of at most 63 characters`);
  }
  validateImage(build.image, name, where);
  const ports = (o.ports ?? []).map((p, i) => renderContainerPort(p, i, build.main, at));
  const volumes: VolumeJson[] = [];
  const mounts: VolumeMountJson[] = [];
  const items = (keys?: string[]) => (keys && keys.length ? { items: keys.map((k) => ({ key: k, path: k })) } : {});
  for (const sv of o.secretVolumes ?? []) {
    checkAbsolute(sv.mountPath, 'secret mount path', at);
    const volume = `secret-${counter.secret++}`;
    volumes.push({ name: volume, secret: { secretName: sv.secretName, defaultMode: 0o440, ...items(sv.keys) } });
    mounts.push({ name: volume, mountPath: sv.mountPath, readOnly: true });
  }
  for (const cv of o.configMapVolumes ?? []) {
    checkAbsolute(cv.mountPath, 'ConfigMap mount path', at);
    const volume = `config-${counter.config++}`;
    volumes.push({ name: volume, configMap: { name: cv.configMapName, defaultMode: 0o444, ...items(cv.keys) } });
    mounts.push({ name: volume, mountPath: cv.mountPath, readOnly: true });
  }
  for (const claim of o.claimVolumes ?? []) {
    checkAbsolute(claim.mountPath, 'claim mount path', at);
    if (typeof claim.claimName !== 'string' || !DNS_LABEL.test(claim.claimName)) throw new Error(`${at}: claim name must be a DNS label`);
    const volume = `claim-${counter.claim++}`;
    volumes.push({ name: volume, persistentVolumeClaim: { claimName: claim.claimName, ...(claim.readOnly ? { readOnly: true } : {}) } });
    mounts.push({ name: volume, mountPath: claim.mountPath, ...(claim.readOnly ? { readOnly: true } : {}) });
  }

  const loosenings: ContainerLoosening[] = [];
  if (o.serviceAccountToken !== undefined) {
    const token = o.serviceAccountToken;
    const reason = validateReason(token?.reason, `loosening "${LOOSENINGS.serviceAccountToken.option}"`, at);
    const mountPath = token.mountPath ?? '/var/run/secrets/tokens';
    checkAbsolute(mountPath, 'token mount path', at);
    const expirationSeconds = token.expirationSeconds ?? 3600;
    if (!Number.isInteger(expirationSeconds) || expirationSeconds < 600 || expirationSeconds > 2 ** 32) {
      throw new Error(`${at}: token expirationSeconds must be a whole number of seconds from 600 to 4294967296`);
    }
    const fileName = token.fileName ?? 'token';
    if (typeof fileName !== 'string' || !/^[A-Za-z0-9._-]+$/.test(fileName) || fileName === '.' || fileName === '..') {
      throw new Error(`${at}: token fileName must be a file name (letters, digits, '.', '_', '-')`);
    }
    if (token.audience !== undefined && (typeof token.audience !== 'string' || token.audience.trim() === '')) {
      throw new Error(`${at}: token audience must be a non-empty string`);
    }
    const volume = `token-${counter.token++}`;
    volumes.push({
      name: volume,
      projected: {
        sources: [{
          serviceAccountToken: { ...(token.audience !== undefined ? { audience: token.audience } : {}), expirationSeconds, path: fileName },
        }],
      },
    });
    mounts.push({ name: volume, mountPath, readOnly: true });
    loosenings.push({ loosening: LOOSENINGS.serviceAccountToken, reason, container: name });
  }

  const env: EnvVarJson[] = [];
  for (const [envName, value] of Object.entries(o.env ?? {})) {
    checkEnvName(envName, at);
    env.push({ name: envName, value: String(value) });
  }
  for (const [envName, ref] of Object.entries(o.secretEnv ?? {})) {
    checkEnvName(envName, at);
    if (env.some((e) => e.name === envName)) throw new Error(`${at}: environment variable ${envName} is set both in env and secretEnv`);
    env.push({ name: envName, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } });
  }

  const r = o.resources ?? {};
  const quantities = (cpu?: string, memory?: string) => ({ ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) });
  const requests = quantities(r.cpuRequest, r.memoryRequest);
  const limits = quantities(r.cpuLimit, r.memoryLimit);

  const securityContext: { [field: string]: boolean } = {};
  const loosen = (ack: Acknowledgement | undefined, l: Loosening, field: string, value: boolean) => {
    if (ack === undefined) return;
    loosenings.push({ loosening: l, reason: validateReason(ack?.reason, `loosening "${l.option}"`, at), container: name });
    securityContext[field] = value;
  };
  loosen(o.writableRootFilesystem, LOOSENINGS.writableRootFilesystem, 'readOnlyRootFilesystem', false);
  loosen(o.allowPrivilegeEscalation, LOOSENINGS.allowPrivilegeEscalation, 'allowPrivilegeEscalation', true);

  const json: ContainerJson = {
    name,
    image: build.image,
    imagePullPolicy: 'IfNotPresent',
    ...(o.command ? { command: o.command.slice() } : {}),
    ...(o.args ? { args: o.args.slice() } : {}),
    ...(ports.length ? { ports } : {}),
    ...(env.length ? { env } : {}),
    ...(Object.keys(requests).length || Object.keys(limits).length
      ? { resources: { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) } }
      : {}),
    ...(Object.keys(securityContext).length ? { securityContext } : {}),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
    ...(build.restartPolicy !== undefined ? { restartPolicy: build.restartPolicy } : {}),
  };
  const probes = [['livenessProbe', o.livenessProbe], ['readinessProbe', o.readinessProbe], ['startupProbe', o.startupProbe]] as const;
  for (const [field, probe] of probes) {
    if (!probe) continue;
    if (build.field === 'initContainers' && build.restartPolicy !== ContainerRestartPolicy.ALWAYS) {
      throw new Error(`${at}: an init container has no ${field} unless it is a native sidecar (restartPolicy: Always)`);
    }
    json[field] = renderProbe(probe, ports[0]?.containerPort, `${at} ${field}`);
  }
  const servicePorts = ports.filter((_, i) => o.ports![i].service !== false);
  return { field: build.field, json, volumes, loosenings, ports, servicePorts };
}

function renderContainerPort(p: ContainerPort, i: number, main: boolean, where: string): ContainerPortJson {
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new Error(`${where}: container port ${p.port} is not in 1-65535`);
  const name = p.name ?? (i === 0 && main ? 'http' : `port-${p.port}`);
  if (name.length > 15 || !DNS_LABEL.test(name) || !/[a-z]/.test(name)) {
    throw new Error(`${where}: port name "${name}" must be at most 15 lowercase letters, digits and dashes, with a letter`);
  }
  return { name, containerPort: p.port, protocol: p.protocol ?? NetworkProtocol.TCP };
}
