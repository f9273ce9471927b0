/*
 * How every rule names a container in a message: `container "app"`,
 * `init container "setup"`, `ephemeral container "debug"`. Shared by the Pod Security
 * Standards rules and the workload rules so users see the same words in every message.
 */
import { ContainerView } from '../engine/pod-spec';

const KIND_LABEL: { [field: string]: string } = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
};

/** The container's kind and name, for messages: `init container "setup"`. */
export function containerLabel(c: ContainerView): string {
  return `${KIND_LABEL[c.field] ?? 'container'} "${c.name}"`;
}
