/*
 * Pod Security Standards, restricted: non-root user id (pod-security-admission check `runAsUser`).
 *
 * Containers must not set runAsUser to 0.
 *
 * Restricted fields:
 *   spec.securityContext.runAsUser
 *   spec.containers[*].securityContext.runAsUser
 *   spec.initContainers[*].securityContext.runAsUser
 *   spec.ephemeralContainers[*].securityContext.runAsUser
 *
 * Allowed values: any non-zero value, undefined/null
 *
 * Versions: 1.23+; from 1.35 a pod in a user namespace (spec.hostUsers: false) is exempt.
 */
import { containerLabel, containerSc, containerScPath, podSc, podScPath, userNamespaceExempt } from './helpers';
import { setAt } from '../../engine/fix-paths';
import { containersOf, PodView } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { pathFix } from '../fixes';
import { USER_NAMESPACE_POD, equals, podAndContainerSc, str, unless } from '../cel';

function check(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  if (podSc(pod, 'runAsUser') === 0) {
    out.push({
      path: podScPath(pod, 'runAsUser'),
      message: 'pod must not set securityContext.runAsUser to 0: use a non-zero user id',
    });
  }
  for (const c of containersOf(pod)) {
    if (containerSc(c, 'runAsUser') === 0) {
      out.push({
        path: containerScPath(c, 'runAsUser'),
        message: `${containerLabel(c)} must not set securityContext.runAsUser to 0: use a non-zero user id`,
      });
    }
  }
  return out;
}

/**
 * The fix: the user id of the rule option `uid` in place of 0. Which non-root user an image
 * can run as only its owner knows, so without the option there is no fix.
 */
const fix = pathFix('sets `runAsUser` to the rule option `uid` in place of 0 (no fix without that option)', (object, segments, context) => {
  const uid = context.options.uid;
  if (typeof uid !== 'number' || !Number.isInteger(uid) || uid <= 0 || uid > 2147483647) {
    return 'set the rule option `uid` (the non-zero user id the image runs as) to have it filled in';
  }
  return setAt(object, segments, uid);
});

export const runAsUser = definePssRule({
  id: 'pss-run-as-user',
  checkId: 'runAsUser',
  level: Profile.RESTRICTED,
  title: 'Containers must not run as user id 0',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.2.7', 'nsa:pod-security/non-root-and-unprivileged', 'kyverno:require-run-as-non-root-user'],
  rationale: 'runAsUser: 0 runs the container as root whatever the image says; root in a container is root on the node kernel.',
  remediation: 'Remove `runAsUser: 0` or set a non-zero user id on the pod and containers.',
  options: [{ name: 'uid', type: 'number', description: 'The non-zero user id the fix sets in place of 0 (the user the images run as); the check ignores it.' }],
  versions: [
    { minimumVersion: '1.23', check },
    userNamespaceExempt('1.35', check),
  ],
  // the UID is the image owner's choice, a rule option: a policy that wrote it would have to be
  // generated again whenever it changes, and one UID for every workload of a cluster is rarely right
  fix: { ...fix, admission: { notMutated: 'its fix writes the rule option uid, a per-image choice that a cluster-wide policy should not make' } },
  admission: {
    violations: ({ pssMinor }) => {
      const cel = podAndContainerSc((sc) => equals(sc, ['runAsUser'], '0'),
        str('pod must not set securityContext.runAsUser to 0'), () => str('must not set securityContext.runAsUser to 0'));
      return pssMinor >= 35 ? unless(USER_NAMESPACE_POD, cel) : cel;
    },
  },
});
