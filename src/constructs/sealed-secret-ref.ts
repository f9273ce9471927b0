import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SecretKeyReference, SecretVolume } from './container';
import { Loosening, looseningAnnotations, LOOSENINGS } from './loosening';
import { Acknowledgement } from './suppressions';

/**
 * Which names and namespaces a sealed value may be unsealed under (kubeseal `--scope`).
 *
 * @example
 * new SealedSecretRef(chart, 'pull', {
 *   name: 'registry-pull',
 *   encryptedData: { '.dockerconfigjson': 'AgB...' },
 *   scope: SealingScope.NAMESPACE_WIDE,
 *   scopeAcknowledgement: { reason: 'copied under several names by the image-pull operator' },
 * });
 */
export enum SealingScope {
  /** Only this name in this namespace (the default, and the safe choice). */
  STRICT = 'strict',
  /** Any name in this namespace. */
  NAMESPACE_WIDE = 'namespace-wide',
  /** Any name in any namespace. */
  CLUSTER_WIDE = 'cluster-wide',
}

/**
 * Options of a SealedSecretRef that defines a SealedSecret.
 *
 * @example
 * const props: SealedSecretRefProps = {
 *   name: 'db-credentials',
 *   encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA...' }, // from kubeseal --raw
 * };
 */
export interface SealedSecretRefProps {
  /**
   * Name of the SealedSecret and of the Secret it unseals to. With the strict and
   * namespace-wide scopes the ciphertext is bound to it: use the name given to kubeseal.
   */
  readonly name: string;
  /** kubeseal ciphertext by key (`kubeseal --raw` output, or `spec.encryptedData` of its SealedSecret). */
  readonly encryptedData: { [key: string]: string };
  /**
   * Namespace. With the strict and namespace-wide scopes the ciphertext is bound to it.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The scope the values were sealed with.
   * @default SealingScope.STRICT
   */
  readonly scope?: SealingScope;
  /**
   * Loosening: the reason for a namespace-wide or cluster-wide scope (required with them).
   * @default - none (strict scope)
   */
  readonly scopeAcknowledgement?: Acknowledgement;
  /**
   * Type of the unsealed Secret.
   * @default 'Opaque'
   */
  readonly type?: string;
  /**
   * Labels of the unsealed Secret.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * Options of a reference to a SealedSecret (or Secret) that already exists.
 *
 * @example
 * const props: ExistingSealedSecretProps = { name: 'payments-api-key', keys: ['token'] };
 */
export interface ExistingSealedSecretProps {
  /** Name of the Secret the existing SealedSecret unseals to. */
  readonly name: string;
  /**
   * The keys it holds (checked when a workload asks for one).
   * @default - not checked
   */
  readonly keys?: string[];
}

/** Set by `fromExisting` for the constructor it calls (reference mode). */
let pendingExisting: ExistingSealedSecretProps | undefined;

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** AES-GCM authentication tag. */
const GCM_TAG_BYTES = 16;

/** The loosening of each scope wider than strict. */
const SCOPE_LOOSENINGS: { [scope: string]: Loosening } = {
  [SealingScope.NAMESPACE_WIDE]: LOOSENINGS.sealingScopeNamespaceWide,
  [SealingScope.CLUSTER_WIDE]: LOOSENINGS.sealingScopeClusterWide,
};

/**
 * A Bitnami SealedSecret (`bitnami.com/v1alpha1`) built from kubeseal ciphertext, or a
 * reference to one that already exists, that gives Secret keys to workloads as
 * environment values and volumes.
 *
 * It never holds plaintext: every value must look like kubeseal output (base64 of a
 * length-prefixed RSA-OAEP session key followed by AES-GCM ciphertext), and an error
 * never shows a value.
 *
 * Seal a value with:
 * `echo -n "$PASSWORD" | kubeseal --raw --namespace shop --name db-credentials --from-file=/dev/stdin`
 *
 * @example
 * const db = new SealedSecretRef(chart, 'db', {
 *   name: 'db-credentials',
 *   encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA...' },
 * });
 * new HardenedStatefulSet(chart, 'postgres', {
 *   image: 'registry.example.com/postgres:16.4@sha256:4a1c...',
 *   secretEnv: { POSTGRES_PASSWORD: db.envValue('password') },
 * });
 *
 * const payments = SealedSecretRef.fromExisting(chart, 'payments', { name: 'payments-api-key', keys: ['token'] });
 */
export class SealedSecretRef extends Construct {
  /**
   * Refers to a SealedSecret (or Secret) that already exists; defines no object.
   *
   * @example
   * const key = SealedSecretRef.fromExisting(chart, 'payments', { name: 'payments-api-key', keys: ['token'] });
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingSealedSecretProps): SealedSecretRef {
    pendingExisting = props;
    try {
      return new SealedSecretRef(scope, id, undefined as unknown as SealedSecretRefProps);
    } finally {
      pendingExisting = undefined;
    }
  }

  /** Name of the Secret the SealedSecret unseals to. */
  public readonly secretName: string;
  /** The keys it holds (undefined for a reference without keys). */
  public readonly keys?: string[];
  /** The SealedSecret object (undefined in reference mode). */
  public readonly apiObject?: ApiObject;

  constructor(scope: Construct, id: string, props: SealedSecretRefProps) {
    super(scope, id);
    const where = `SealedSecretRef ${this.node.path}`;
    const existing = pendingExisting;
    pendingExisting = undefined;
    const source = existing ?? props;
    if (!source || typeof source.name !== 'string' || !DNS_SUBDOMAIN.test(source.name) || source.name.length > 253) {
      throw new Error(`${where}: name must be a DNS subdomain name (lowercase letters, digits, "-" and ".")`);
    }
    this.secretName = source.name;
    if (existing !== undefined) {
      this.keys = existing.keys?.slice();
      for (const k of this.keys ?? []) checkKey(k, where);
      return;
    }

    const entries = Object.entries(props.encryptedData ?? {});
    if (entries.length === 0) throw new Error(`${where}: encryptedData needs at least one sealed value`);
    for (const [key, value] of entries) {
      checkKey(key, where);
      if (!looksSealed(value)) {
        throw new Error(`${where}: encryptedData["${key}"] does not look like kubeseal ciphertext (the value is not shown). `
          + 'Seal it with `kubeseal --raw --scope <scope> --namespace <ns> --name <name> --from-file=/dev/stdin`; never put plaintext here.');
      }
    }
    this.keys = entries.map(([k]) => k);

    const sealingScope = props.scope ?? SealingScope.STRICT;
    if (!Object.values(SealingScope).includes(sealingScope)) throw new Error(`${where}: unknown scope "${sealingScope}"`);
    const annotations: { [key: string]: string } = {};
    if (sealingScope !== SealingScope.STRICT) {
      if (props.scopeAcknowledgement === undefined) {
        throw new Error(`${where}: the ${sealingScope} scope lets the value be unsealed under other names${sealingScope === SealingScope.CLUSTER_WIDE ? ' and namespaces' : ''}; `
          + 'give scopeAcknowledgement: { reason: "..." } or seal with the strict scope');
      }
      Object.assign(annotations, looseningAnnotations(SCOPE_LOOSENINGS[sealingScope], props.scopeAcknowledgement, 'SealedSecret', where));
      annotations[`sealedsecrets.bitnami.com/${sealingScope}`] = 'true';
    }
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (sealingScope !== SealingScope.CLUSTER_WIDE && namespace === undefined) {
      throw new Error(`${where}: a ${sealingScope} SealedSecret is bound to its namespace: set namespace (or the chart's)`);
    }
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: {
        name: this.secretName,
        namespace,
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      spec: {
        encryptedData: Object.fromEntries(entries),
        template: {
          metadata: {
            name: this.secretName,
            ...(namespace !== undefined ? { namespace } : {}),
            ...(props.labels && Object.keys(props.labels).length ? { labels: { ...props.labels } } : {}),
          },
          type: props.type ?? 'Opaque',
        },
      },
    });
  }

  /**
   * A key of the Secret as an environment value (for a workload's `secretEnv`).
   *
   * @example
   * new HardenedDeployment(chart, 'api', { image, secretEnv: { DB_PASSWORD: db.envValue('password') } });
   */
  public envValue(key: string): SecretKeyReference {
    this.checkHas(key);
    return { secretName: this.secretName, key };
  }

  /**
   * The Secret mounted as read-only files (for a workload's `secretVolumes`).
   *
   * @param mountPath directory the keys appear in
   * @param keys keys to mount (default: all)
   * @example
   * new HardenedDeployment(chart, 'web', { image, secretVolumes: [tls.volume('/etc/tls')] });
   */
  public volume(mountPath: string, keys?: string[]): SecretVolume {
    for (const k of keys ?? []) this.checkHas(k);
    return { secretName: this.secretName, mountPath, ...(keys ? { keys: keys.slice() } : {}) };
  }

  private checkHas(key: string): void {
    if (this.keys !== undefined && !this.keys.includes(key)) {
      throw new Error(`SealedSecretRef ${this.node.path}: no key "${key}" (keys: ${this.keys.join(', ')})`);
    }
  }
}

function checkKey(key: string, where: string): void {
  if (typeof key !== 'string' || !SECRET_KEY.test(key) || key.length > 253) {
    throw new Error(`${where}: "${key}" is not a valid Secret key (letters, digits, "-", "_" and ".")`);
  }
}

/**
 * Whether a value has the shape of kubeseal output: standard base64 of
 * `uint16 big-endian length of the RSA ciphertext || RSA-OAEP ciphertext || AES-GCM ciphertext`,
 * where the RSA ciphertext is as long as an RSA modulus (1024 to 8192 bits).
 * @internal
 */
export function looksSealed(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 8 || !BASE64.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < 2) return false;
  const rsaLength = bytes.readUInt16BE(0);
  if (rsaLength < 128 || rsaLength > 1024 || rsaLength % 64 !== 0) return false;
  return bytes.length >= 2 + rsaLength + GCM_TAG_BYTES;
}
