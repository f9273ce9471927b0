/*
 * Health probes of the hardened containers.
 */
import { ProbeJson } from './pod-json';

/**
 * A health probe: an HTTP GET (`httpPath`), a command (`command`), or a TCP
 * connection (neither).
 *
 * @example
 * const ready: HealthProbe = { httpPath: '/healthz', periodSeconds: 5 };
 * const alive: HealthProbe = { command: ['/bin/check'] };
 */
export interface HealthProbe {
  /**
   * Path of an HTTP GET probe.
   * @default - not an HTTP probe
   */
  readonly httpPath?: string;
  /**
   * Command of an exec probe.
   * @default - not an exec probe
   */
  readonly command?: string[];
  /**
   * Port of an HTTP or TCP probe.
   * @default - the first container port
   */
  readonly port?: number;
  /**
   * Seconds before the first probe.
   * @default - Kubernetes default (0)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds before a probe times out.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Failures before the probe gives up.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/**
 * The probe as Kubernetes JSON.
 * @throws `<where>: …` when the probe is both HTTP and exec, has no port to use, or a relative path
 * @internal
 */
export function renderProbe(probe: HealthProbe, defaultPort: number | undefined, where: string): ProbeJson {
  if (probe.httpPath !== undefined && probe.command !== undefined) {
    throw new Error(`${where}: a probe is either httpPath or command, not both`);
  }
  const timing = {
    ...(probe.initialDelaySeconds !== undefined ? { initialDelaySeconds: probe.initialDelaySeconds } : {}),
    periodSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
  if (probe.command !== undefined) {
    if (probe.command.length === 0) throw new Error(`${where}: an exec probe needs a command`);
    return { exec: { command: probe.command.slice() }, ...timing };
  }
  const port = probe.port ?? defaultPort;
  if (port === undefined) throw new Error(`${where}: the probe needs a port (the container declares none)`);
  if (probe.httpPath !== undefined) {
    if (!probe.httpPath.startsWith('/')) throw new Error(`${where}: probe path must start with /`);
    return { httpGet: { path: probe.httpPath, port, scheme: 'HTTP' }, ...timing };
  }
  return { tcpSocket: { port }, ...timing };
}
