/**
 * Secure-by-default cdk8s constructs (exported from the package root).
 */
export {};
