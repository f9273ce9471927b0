import { containerRuntimeSocket, exposedRuntimeSocket } from '../../../src/rules/workload/container-runtime-socket';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'container-runtime-socket';

const yaml = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      containers:
      - name: agent
        image: agent:1
        volumeMounts:
        - {name: docker, mountPath: /var/run/docker.sock}
        - {name: run, mountPath: /host/run}
      volumes:
      - name: docker
        hostPath: {path: /var/run/docker.sock, type: Socket}
      - name: containerd
        hostPath:
          path: /run/containerd/containerd.sock
      - name: run
        hostPath:
          path: /var/run/
      - name: logs
        hostPath:
          path: /var/log
      - name: custom
        hostPath:
          path: /opt/runtime/crio.sock
      - name: scratch
        emptyDir: {}
`;

test('finds runtime sockets and the directories that hold them, with path and line', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.spec.volumes[0].hostPath.path', lineOf(yaml, 'hostPath: {path: /var/run/docker.sock')],
    ['spec.template.spec.volumes[1].hostPath.path', lineOf(yaml, 'path: /run/containerd/containerd.sock')],
    ['spec.template.spec.volumes[2].hostPath.path', lineOf(yaml, 'path: /var/run/', 2)],
    ['spec.template.spec.volumes[4].hostPath.path', lineOf(yaml, 'crio.sock')],
  ]);
  expect(findings[0].message).toBe('volume "docker" mounts the container runtime socket /var/run/docker.sock (mounted by container "agent"); remove the volume and its mounts');
  expect(findings[2].message).toContain('host path /var/run/, which exposes the container runtime socket /run/docker.sock');
  expect(findings[0].severity).toBe('critical');
});

test('recognises socket paths and their parents', () => {
  expect(exposedRuntimeSocket('/var/run/crio/crio.sock')).toBe('/run/crio/crio.sock');
  expect(exposedRuntimeSocket('//run//k3s/containerd/')).toBe('/run/k3s/containerd/containerd.sock');
  expect(exposedRuntimeSocket('/')).toBe('/run/docker.sock');
  expect(exposedRuntimeSocket('/var/lib/docker')).toBeUndefined();
  expect(exposedRuntimeSocket('/var')).toBeUndefined();
  expect(exposedRuntimeSocket('/run/containerd-other')).toBeUndefined();
  expect(exposedRuntimeSocket('')).toBeUndefined();
  // '.' segments, another process's view of the node's root, Windows named pipes
  expect(exposedRuntimeSocket('/.')).toBe('/run/docker.sock');
  expect(exposedRuntimeSocket('/run/./containerd')).toBe('/run/containerd/containerd.sock');
  expect(exposedRuntimeSocket('/proc/1/root')).toBe('/run/docker.sock');
  expect(exposedRuntimeSocket('/proc/self/root/var/run/docker.sock')).toBe('/run/docker.sock');
  expect(exposedRuntimeSocket('/proc/1/rootfs')).toBeUndefined();
  expect(exposedRuntimeSocket('/proc/1/root/etc')).toBeUndefined();
  expect(exposedRuntimeSocket('\\\\.\\pipe\\docker_engine')).toBe('\\\\.\\pipe\\docker_engine');
  expect(exposedRuntimeSocket('//./PIPE/containerd-containerd')).toBe('//./PIPE/containerd-containerd');
  expect(exposedRuntimeSocket('/run/k0s')).toBe('/run/k0s/containerd.sock');
});

test('passes other hostPath volumes', () => {
  const ok = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a, image: "app:1"}]
  volumes:
  - {name: logs, hostPath: {path: /var/log/pods}}
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(containerRuntimeSocket, {
    kind: 'Pod',
    spec: { containers: [{ name: 'a', volumeMounts: [{ name: 's' }] }], volumes: [{ name: 's', hostPath: { path: '/run/docker.sock' } }] },
  });
});
