import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { wholeNumber } from './checks';
import { jobSpec, JobRunOptions } from './hardened-job';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-pod-template';

/**
 * What a CronJob does when a run is due while the previous one still runs.
 *
 * @example
 * new HardenedCronJob(chart, 'sync', { image: 'registry.example.com/sync:1.0.0', schedule: '0 * * * *', concurrencyPolicy: ConcurrencyPolicy.REPLACE });
 */
export enum ConcurrencyPolicy {
  /** Skip the new run. */
  FORBID = 'Forbid',
  /** Replace the running job. */
  REPLACE = 'Replace',
  /** Run both. */
  ALLOW = 'Allow',
}

/**
 * Options of a HardenedCronJob. Only `image` and `schedule` are required.
 *
 * @example
 * const props: HardenedCronJobProps = { image: 'registry.example.com/report:1.2.0', schedule: '0 3 * * *', timeZone: 'Etc/UTC' };
 */
export interface HardenedCronJobProps extends HardenedWorkloadProps, JobRunOptions {
  /** Cron schedule (five fields, or @hourly, @daily, @weekly, @monthly, @yearly). */
  readonly schedule: string;
  /**
   * Time zone of the schedule (IANA name).
   * @default - the controller manager's time zone
   */
  readonly timeZone?: string;
  /**
   * Overlapping runs.
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Seconds after a missed schedule during which the run may still start.
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Successful jobs kept.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed jobs kept.
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * Create the CronJob suspended.
   * @default false
   */
  readonly suspend?: boolean;
}

const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const CRON_FIELD = /^[\d*/,\-?A-Za-z]+$/;

/**
 * A CronJob with the hardened pod of every kubeharden workload (see HardenedDeployment),
 * no overlapping runs, bounded history, and a NetworkPolicy denying every flow not allowed.
 *
 * @example
 * new HardenedCronJob(chart, 'nightly-report', {
 *   image: 'registry.example.com/report:1.2.0@sha256:9f3e...',
 *   schedule: '0 3 * * *',
 *   timeZone: 'Europe/Paris',
 *   allowTo: [{ peer: db.peer(), ports: [{ port: 5432 }] }],
 * });
 */
export class HardenedCronJob extends HardenedWorkload {
  /** The CronJob. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id, props, 'CronJob');
    const where = `CronJob ${this.node.path}`;
    const schedule = typeof props.schedule === 'string' ? props.schedule.trim() : '';
    const fields = schedule.split(/\s+/);
    if (!(CRON_MACROS.includes(schedule) || (fields.length === 5 && fields.every((f) => CRON_FIELD.test(f))))) {
      throw new Error(`${where}: schedule "${props.schedule}" is not a cron schedule (five fields such as "0 3 * * *", or @daily)`);
    }
    const count = (v: number | undefined, field: string, dflt: number) => wholeNumber(v ?? dflt, 0, field, where);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: this.pod._workloadMetadata(),
      spec: {
        schedule,
        ...(props.timeZone !== undefined ? { timeZone: props.timeZone } : {}),
        concurrencyPolicy: props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID,
        startingDeadlineSeconds: count(props.startingDeadlineSeconds, 'startingDeadlineSeconds', 300),
        successfulJobsHistoryLimit: count(props.successfulJobsHistoryLimit, 'successfulJobsHistoryLimit', 3),
        failedJobsHistoryLimit: count(props.failedJobsHistoryLimit, 'failedJobsHistoryLimit', 1),
        suspend: props.suspend ?? false,
        jobTemplate: {
          metadata: { labels: { ...this.pod.podLabels } },
          spec: jobSpec(this.pod, props, where),
        },
      },
    });
    this.pod._registerWorkload(this.apiObject);
  }
}
