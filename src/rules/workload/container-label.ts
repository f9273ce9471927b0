/**
 * How workload rules name a container in messages: `container "web"`,
 * `initContainer "migrate"`, `ephemeralContainer "debugger"`.
 */
import { ContainerView } from '../../engine/pod-spec';

/** The container's kind and name, for messages. */
export function containerLabel(c: ContainerView): string {
  return `${c.field.replace(/s$/, '')} "${c.name}"`;
}
