/*
 * Recognising the cluster configuration files the cluster rules check: they are not
 * API objects but carry apiVersion and kind, so they are checked like manifests. The
 * kind alone is not enough (CRDs reuse names), so the API group is checked too.
 */
import { keyPath, indexPath } from '../../engine/json-path';
import { sharedForObject } from '../../engine/pod-spec';
import { RuleFinding } from '../../engine/types';
import { arr, isKindInGroup, isObject, prop, str } from '../../engine/values';

/** Whether the object has this kind and an apiVersion in this API group (any version). */
export function isConfig(object: unknown, kind: string, group: string): boolean {
  return isKindInGroup(object, kind, group);
}

/** One kube-apiserver flag set in a kubeadm ClusterConfiguration. */
export interface ExtraArg {
  /** The flag value as a string (`true`, `/etc/kubernetes/audit.yaml`). */
  readonly value: string;
  /** Path of the value. */
  readonly path: string;
}

/** The kube-apiserver flags of a kubeadm ClusterConfiguration, and where a new one goes. */
export interface ApiServerArgs {
  readonly args: ReadonlyMap<string, ExtraArg>;
  /** Path where a missing flag belongs (`apiServer.extraArgs`, or the nearest existing parent). */
  readonly missingPath: string;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return undefined;
}

/**
 * `apiServer.extraArgs` of a kubeadm.k8s.io ClusterConfiguration. v1beta3 writes it as a
 * map (`anonymous-auth: "false"`); v1beta4 as a list of `{name, value}`, where a name
 * may repeat and the last value wins, as for a repeated command-line flag. The shape is
 * read from the value itself, so either form is understood under either version.
 * Undefined when the object is not a kubeadm ClusterConfiguration. The result is
 * shared by the rules that check the object: do not change it.
 */
export function apiServerArgsOf(object: unknown): ApiServerArgs | undefined {
  if (!isConfig(object, 'ClusterConfiguration', 'kubeadm.k8s.io')) return undefined;
  // read once per object and shared by the kubeadm rules that check it
  return sharedForObject(object, apiServerArgsOf, readApiServerArgs);
}

function readApiServerArgs(object: unknown): ApiServerArgs {
  const apiServer = prop(object, 'apiServer');
  const extraArgs = prop(apiServer, 'extraArgs');
  const base = keyPath('apiServer', 'extraArgs');
  const args = new Map<string, ExtraArg>();
  if (Array.isArray(extraArgs)) {
    arr(extraArgs).forEach((entry, i) => {
      const name = str(prop(entry, 'name'));
      const value = scalar(prop(entry, 'value'));
      if (name !== undefined) args.set(name, Object.freeze({ value: value ?? '', path: keyPath(indexPath(base, i), 'value') }));
    });
  } else if (isObject(extraArgs)) {
    for (const name of Object.keys(extraArgs)) {
      args.set(name, Object.freeze({ value: scalar(extraArgs[name]) ?? '', path: keyPath(base, name) }));
    }
  }
  const missingPath = extraArgs !== undefined ? base : isObject(apiServer) ? 'apiServer' : '';
  return Object.freeze({ args, missingPath });
}

/**
 * The finding for a kube-apiserver flag that a kubeadm ClusterConfiguration must set:
 * one when the flag is missing or empty (at its value, or where it belongs), none when
 * it is set or the object is not a kubeadm ClusterConfiguration.
 */
export function requiredFlag(object: unknown, flag: string, message: string): RuleFinding[] {
  const a = apiServerArgsOf(object);
  if (!a) return [];
  const arg = a.args.get(flag);
  if (arg && arg.value.trim() !== '') return [];
  return [{ path: arg?.path ?? a.missingPath, message }];
}
