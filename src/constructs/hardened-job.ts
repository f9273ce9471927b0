import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { wholeNumber } from './checks';
import { HardenedPodTemplate, HardenedWorkload, HardenedWorkloadProps } from './hardened-pod-template';

/**
 * How a job's run behaves (shared by HardenedJob and HardenedCronJob).
 *
 * @example
 * const run: JobRunOptions = { backoffLimit: 2, activeDeadlineSeconds: 600 };
 */
export interface JobRunOptions {
  /**
   * Retries before the job fails.
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Seconds the job may run before it is stopped.
   * @default - no deadline
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished job is kept before it is deleted.
   * @default 86400
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Successful pods needed.
   * @default 1
   */
  readonly completions?: number;
  /**
   * Pods run at the same time.
   * @default 1
   */
  readonly parallelism?: number;
}

/**
 * Options of a HardenedJob. Only `image` is required.
 *
 * @example
 * const props: HardenedJobProps = { image: 'registry.example.com/migrate:5.0.0', args: ['up'], backoffLimit: 1 };
 */
export interface HardenedJobProps extends HardenedWorkloadProps, JobRunOptions {}

/**
 * A Job with the hardened pod of every kubeharden workload (see HardenedDeployment):
 * pods that never restart in place, a retry limit, clean-up of finished jobs, and a
 * NetworkPolicy denying every flow not allowed.
 *
 * @example
 * const migrate = new HardenedJob(chart, 'migrate', {
 *   image: 'registry.example.com/migrate:5.0.0@sha256:77aa...',
 *   args: ['up'],
 *   secretEnv: { DATABASE_URL: credentials.envValue('url') },
 * });
 * migrate.allowTo(db.peer(), [{ port: 5432 }]);
 */
export class HardenedJob extends HardenedWorkload {
  /** The Job. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id, props, 'Job');
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: this.pod._workloadMetadata(),
      spec: jobSpec(this.pod, props, `Job ${this.node.path}`),
    });
    this.pod._registerWorkload(this.apiObject);
  }
}

/** The spec of a Job (or of a CronJob's jobTemplate). @internal */
export function jobSpec(pod: HardenedPodTemplate, run: JobRunOptions, where: string): any {
  const count = (v: number | undefined, field: string, dflt: number | undefined, min: number) => {
    const x = v ?? dflt;
    return x === undefined ? undefined : wholeNumber(x, min, field, where);
  };
  const backoffLimit = count(run.backoffLimit, 'backoffLimit', 3, 0);
  const activeDeadlineSeconds = count(run.activeDeadlineSeconds, 'activeDeadlineSeconds', undefined, 1);
  const ttl = count(run.ttlSecondsAfterFinished, 'ttlSecondsAfterFinished', 86400, 0);
  const completions = count(run.completions, 'completions', undefined, 1);
  const parallelism = count(run.parallelism, 'parallelism', undefined, 0);
  return {
    backoffLimit,
    ttlSecondsAfterFinished: ttl,
    ...(activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds } : {}),
    ...(completions !== undefined ? { completions } : {}),
    ...(parallelism !== undefined ? { parallelism } : {}),
    template: Lazy.any({
      produce: () => ({ metadata: pod.template.metadata, spec: { ...pod.template.spec, restartPolicy: 'Never' } }),
    }),
  };
}
