/*
 * Hardened: no pod mounts the container runtime's socket from its node.
 *
 * Checked field:
 *   spec.volumes[*].hostPath.path
 *
 * A finding for each hostPath volume whose path (with empty and `.` segments dropped,
 * so `//` and a trailing `/` go, `/proc/<pid>/root` read as `/`, and `/var/run` read as
 * `/run`, which it links to on every distribution)
 *   - is a runtime socket: /run/docker.sock, /run/containerd/containerd.sock,
 *     /run/crio/crio.sock, /run/cri-dockerd.sock, /run/dockershim.sock,
 *     /run/k3s/containerd/containerd.sock, /run/k0s/containerd.sock,
 *     /run/podman/podman.sock;
 *   - is a directory that contains one of them (`/`, `/run`, `/run/containerd`, …);
 *   - or ends in a runtime socket's file name (docker.sock, containerd.sock,
 *     crio.sock, cri-dockerd.sock, dockershim.sock, podman.sock) anywhere else;
 * and each that names a runtime's named pipe on a Windows node
 * (`\\.\pipe\docker_engine`, `\\.\pipe\containerd-containerd`, either slash, any case).
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
import { arr, lowerAscii, prop, str, trimWhiteSpace } from '../../engine/values';
import { POD, str as celString, strList } from '../cel';
import { containerLabel } from '../container-label';

const RUNTIME_SOCKETS = [
  '/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/run/crio/crio.sock',
  '/run/cri-dockerd.sock',
  '/run/dockershim.sock',
  '/run/k3s/containerd/containerd.sock',
  '/run/k0s/containerd.sock',
  '/run/podman/podman.sock',
];

const SOCKET_FILE = /(^|\/)(docker|containerd|crio|cri-dockerd|dockershim|podman)\.sock$/;

/** The runtimes' named pipes on Windows nodes (`\\.\pipe\docker_engine`), either slash, any case. */
const WINDOWS_PIPE = /^[\\/]{2}\.[\\/]pipe[\\/](docker_engine|containerd-containerd)$/;

/** `/proc/<pid>/root`: the root of that process's mount namespace, PID 1's being the node's. */
const PROC_ROOT = /^\/proc\/[^/]+\/root/;

/**
 * The path as the node resolves it, as far as the text says: white space trimmed, empty
 * and `.` segments dropped (so `//` and a trailing `/` go), `/proc/<pid>/root` read as `/`,
 * `/var/run` read as `/run`.
 */
function normalise(path: string): string {
  const t = trimWhiteSpace(path);
  let p = (t.startsWith('/') ? '/' : '') + t.split('/').filter((s) => s !== '' && s !== '.').join('/');
  const proc = PROC_ROOT.exec(p);
  if (proc && (p.length === proc[0].length || p[proc[0].length] === '/')) p = p.slice(proc[0].length) || '/';
  if (p === '/var/run' || p.startsWith('/var/run/')) p = p.slice('/var'.length);
  return p;
}

/** The runtime socket a host path exposes, or undefined. */
export function exposedRuntimeSocket(hostPath: string): string | undefined {
  if (WINDOWS_PIPE.test(lowerAscii(trimWhiteSpace(hostPath)))) return hostPath;
  const p = normalise(hostPath);
  if (p === '') return undefined;
  for (const socket of RUNTIME_SOCKETS) {
    if (p === socket || p === '/' || socket.startsWith(`${p}/`)) return socket;
  }
  return SOCKET_FILE.test(p) ? p : undefined;
}

/** CEL: `normalise` of the CEL string `path` (its trimmed text bound to `t`), bound to `p` in `body`. */
function normalisedCel(path: string, body: string): string {
  const segments = "(t.startsWith('/') ? '/' : '') + t.split('/').filter(s, s != '' && s != '.').join('/')";
  const procRoot = `(q.matches(${celString(`${PROC_ROOT.source}(/|$)`)}) ? [q.substring(size(q.find(${celString(PROC_ROOT.source)})))].map(r, r == '' ? '/' : r)[0] : q)`;
  const varRun = "(o == '/var/run' || o.startsWith('/var/run/') ? o.substring(4) : o)";
  return `[${path}.trim()].map(t, [${segments}].map(q, [${procRoot}].map(o, [${varRun}].map(p, ${body})[0])[0])[0])[0]`;
}

/** The check in CEL, for admission: the pod's hostPath volumes that expose a runtime socket. */
const admission: RuleAdmission = {
  violations: () => {
    const exposes = `t.lowerAscii().matches(${celString(WINDOWS_PIPE.source)}) || (p != '' && (p == '/' || ${strList(RUNTIME_SOCKETS)}.exists(s, s == p || s.startsWith(p + '/'))`
      + ` || p.matches(${celString(SOCKET_FILE.source)})))`;
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
