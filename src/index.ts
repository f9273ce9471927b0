export * from './engine/types';
export { Engine, EngineOptions, Reports } from './engine/engine';
export { PodTemplateLocation } from './engine/pod-templates';
export { FixOptions, FixChange, FixDeclined, FixReport, ObjectFix } from './engine/fix';
export { AdmissionAction, AdmissionOptions, AdmissionPolicySet, NotEnforcedRule } from './admission/generate';
export { CheckSession, IDocumentStream } from './engine/check-session';
export { Rules } from './rules/catalog';
export * from './constructs';
export { Config, KubehardenConfig, ConfigResult, CONFIG_FILE_NAMES } from './engine/config';
