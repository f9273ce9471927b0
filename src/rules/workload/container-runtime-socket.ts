/*
 * Hardened: no pod mounts the container runtime's socket from its node.
 *
 * Checked field:
 *   spec.volumes[*].hostPath.path
 *
 * A finding for each hostPath volume whose path (with `//` collapsed, trailing `/`
 * removed, and `/var/run` read as `/run`, which it links to on every distribution)
 *   - is a runtime socket: /run/docker.sock, /run/containerd/containerd.sock,
 *     /run/crio/crio.sock, /run/cri-dockerd.sock, /run/dockershim.sock,
 *     /run/k3s/containerd/containerd.sock, /run/podman/podman.sock;
 *   - is a directory that contains one of them (`/`, `/run`, `/run/containerd`, …);
 *   - or ends in a runtime socket's file name (docker.sock, containerd.sock,
 *     crio.sock, cri-dockerd.sock, dockershim.sock, podman.sock) anywhere else.
 *
 * Why: whoever can talk to the runtime socket can start a privileged container
 * with the host's root filesystem: it is root on the node, whatever the pod's own
 * securityContext says.
 */
import { RuleAdmission } from '../../engine/admission';
import { indexPath, keyPath } from '../../engine/json-path';
import { containersOf } from '../../engine/pod-spec';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop, str, trimWhiteSpace } from '../../engine/values';
import { POD, str as celString, strList } from '../cel';
import { containerLabel } from '../container-label';

const RUNTIME_SOCKETS = [
  '/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/run/crio/crio.sock',
  '/run/cri-dockerd.sock',
  '/run/dockershim.sock',
  '/run/k3s/containerd/containerd.sock',
  '/run/podman/podman.sock',
];

const SOCKET_FILE = /(^|\/)(docker|containerd|crio|cri-dockerd|dockershim|podman)\.sock$/;

/** `//` collapsed, trailing `/` removed, `/var/run` read as `/run` (white space trimmed first). */
function normalise(path: string): string {
  let p = trimWhiteSpace(path).replace(/\/{2,}/g, '/');
  if (p.length > 1) p = p.replace(/\/+$/, '');
  if (p === '/var/run' || p.startsWith('/var/run/')) p = p.slice('/var'.length);
  return p;
}

/** The runtime socket a host path exposes, or undefined. */
export function exposedRuntimeSocket(hostPath: string): string | undefined {
  const p = normalise(hostPath);
  if (p === '') return undefined;
  for (const socket of RUNTIME_SOCKETS) {
    if (p === socket || p === '/' || socket.startsWith(`${p}/`)) return socket;
  }
  return SOCKET_FILE.test(p) ? p : undefined;
}

/** CEL: `normalise` of the CEL string `path`, bound to `p` in `body`. */
function normalisedCel(path: string, body: string): string {
  const collapsed = "(t.startsWith('/') ? '/' : '') + t.split('/').filter(s, s != '').join('/')";
  return `[${path}.trim()].map(t, [${collapsed}].map(q, [q == '/var/run' || q.startsWith('/var/run/') ? q.substring(4) : q].map(p, ${body})[0])[0])[0]`;
}

/** The check in CEL, for admission: the pod's hostPath volumes that expose a runtime socket. */
const admission: RuleAdmission = {
  violations: () => {
    const exposes = `p != '' && (p == '/' || ${strList(RUNTIME_SOCKETS)}.exists(s, s == p || s.startsWith(p + '/')) || p.matches(${celString(SOCKET_FILE.source)}))`;
    return `(has(${POD}.volumes) ? ${POD}.volumes.filter(v, has(v.hostPath) && has(v.hostPath.path) && ${normalisedCel('v.hostPath.path', exposes)})`
      + `.map(v, ${celString('volume "')} + v.name + ${celString('" mounts host path ')} + v.hostPath.path + ${celString(', which exposes the container runtime socket; remove the volume and its mounts')}) : [])`;
  },
};

export const containerRuntimeSocket = definePodRule({
  id: 'container-runtime-socket',
  title: 'Pods do not mount the container runtime socket',
  severity: Severity.CRITICAL,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.2.12',
    'nsa:pod-security/non-root-and-unprivileged',
    'kube-linter:docker-sock',
    'kyverno:disallow-cri-sock-mount',
    'checkov:CKV_K8S_27',
    'trivy:KSV-0006',
  ],
  rationale: 'The container runtime socket (Docker, containerd, CRI-O, Podman) accepts requests to start privileged containers with the node\'s filesystem mounted. A pod that can reach it controls the node and every pod on it.',
  remediation: 'Remove the hostPath volume and its volumeMounts. Build images with a daemonless builder (BuildKit rootless, kaniko) and read container metadata from the Kubernetes API instead of the runtime.',
  kinds: POD_KINDS,
}, (pod) => {
  const out: RuleFinding[] = [];
  const volumes = arr(pod.spec.volumes);
  const volumesPath = keyPath(pod.specPath, 'volumes');
  for (let i = 0; i < volumes.length; i++) {
    const hostPath = str(prop(prop(volumes[i], 'hostPath'), 'path'));
    if (hostPath === undefined) continue;
    const socket = exposedRuntimeSocket(hostPath);
    if (socket === undefined) continue;
    const volumeName = str(prop(volumes[i], 'name')) ?? '';
    const users = containersOf(pod)
      .filter((c) => arr(prop(c.container, 'volumeMounts')).some((m) => prop(m, 'name') === volumeName))
      .map(containerLabel);
    const what = normalise(hostPath) === socket ? `the container runtime socket ${hostPath}` : `host path ${hostPath}, which exposes the container runtime socket ${socket}`;
    out.push({
      path: keyPath(keyPath(indexPath(volumesPath, i), 'hostPath'), 'path'),
      message: `volume "${volumeName}" mounts ${what}${users.length ? ` (mounted by ${users.join(', ')})` : ''}; remove the volume and its mounts`,
    });
  }
  return out;
}, undefined, admission);
