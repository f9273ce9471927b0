import { cdk, javascript } from 'projen';

const project = new cdk.JsiiProject({
  name: 'kubeharden',
  description: 'Secure-by-default Kubernetes: one rule catalog (Pod Security Standards and more) enforced at cdk8s synth, in pulumi preview and on any YAML.',
  author: 'kubeharden authors',
  authorAddress: 'maintainers@kubeharden.io',
  repositoryUrl: 'https://github.com/kubeharden/kubeharden.git',
  defaultReleaseBranch: 'main',
  license: 'Apache-2.0',
  projenrcTs: true,
  jsiiVersion: '~6.0',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  keywords: ['kubernetes', 'security', 'pod-security-standards', 'cdk8s', 'pulumi', 'policy', 'linter'],

  // The constructs from Python: jsii-pacmak builds the package (`npm run test:python` installs and runs it).
  publishToPypi: { distName: 'kubeharden', module: 'kubeharden' },

  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  vscode: false,

  // Runtime dependencies that are not jsii modules must be bundled.
  bundledDeps: ['js-yaml', 'yaml'],
  peerDeps: ['cdk8s@^2.70.0', 'constructs@^10.3.0'],
  devDeps: [
    'cdk8s-plus-33@^2.5.57',
    'kubernetes-models@^4.5.0',
    '@kubernetes-models/sealed-secrets@^2.0.2',
    // The Pulumi adapter imports @pulumi/policy for types only; these are for its tests and examples.
    '@pulumi/pulumi@~3.248.0',
    '@pulumi/policy@^1.21.0',
    '@pulumi/kubernetes@^4.34.2',
    'typescript@~6.0',
    'ts-node@^10',
    'fast-check@^4.11.0',
    // The CLI tests validate every SARIF log against the official SARIF 2.1.0 schema
    // (a draft-04 schema: Ajv 8 with its draft-04 class; jest-sarif ships the schema file).
    'ajv@^8.20.0',
    'ajv-draft-04@^1.0.0',
    'ajv-formats@^3.0.1',
    '@microsoft/jest-sarif@1.0.0-beta.0',
    // The real clients, driven by tests: the cdk8s CLI, and gRPC as the Pulumi CLI talks to a policy pack.
    'cdk8s-cli@2.207.60',
    '@grpc/grpc-js@^1.14.7',
    '@grpc/proto-loader@^0.8.1',
  ],

  // Parts that use non-jsii types live outside the jsii assembly and are
  // compiled by a second tsc step (tsconfig.cli.json).
  excludeTypescript: ['src/cli/**', 'src/pulumi/**'],

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      // the oracle suites need Go (`npm run test:oracles`); the package and Python suites need registries
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/oracle/', '<rootDir>/test/cluster/', '<rootDir>/test/package/', '<rootDir>/test/python/'],
      // build outputs (benchmark baselines, oracle binaries) hold package.json files of their own
      modulePathIgnorePatterns: ['<rootDir>/build/'],
    },
  },
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts'],
  },
  gitignore: ['/build/', '/bench/out/', '/examples/**/dist/', '/examples/app/out/'],
});

// The CLI: a package subpath and a bin.
project.addBins({ kubeharden: 'bin/kubeharden' });
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './cli': { types: './lib/cli/index.d.ts', default: './lib/cli/index.js' },
  './pulumi': { types: './lib/pulumi/index.d.ts', default: './lib/pulumi/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});

// What the published tarball holds: the compiled library and subpaths with their typings,
// the CLI's bin, the jsii assembly (jsii consumers and Construct Hub read it from the package),
// README and LICENSE. npm adds package.json and the bundled dependencies itself. API.md, docs/
// and the sources stay in the repository, where README's links to them point (npmjs.com
// resolves relative links against the repository).
// With `files` set, npm no longer reads the root .npmignore; projen still writes one,
// which jsii-pacmak would otherwise create (and which excludes jsii's `dist` outdir).
project.package.addField('files', [
  'lib/**/*.js',
  'lib/**/*.d.ts',
  'bin/kubeharden',
  '.jsii',
  'README.md',
  'LICENSE',
]);
// TypeScript's classic `moduleResolution: node` (node10) ignores `exports`: these map the
// subpaths to their typings there (node16, nodenext and bundler read `exports`).
project.package.addField('typesVersions', {
  '*': {
    cli: ['./lib/cli/index.d.ts'],
    pulumi: ['./lib/pulumi/index.d.ts'],
  },
});

// Second compile step for the folders excluded from the jsii assembly.
const compileCli = project.addTask('compile:cli', {
  description: 'Compile the TypeScript-only subpaths (CLI) outside the jsii assembly',
  steps: [
    { exec: 'tsc -p tsconfig.cli.json' },
    { exec: 'node scripts/copy-subpaths.js' },
  ],
});
project.compileTask.spawn(compileCli);

project.addTask('demo', {
  description: 'Build, synthesize the example app, check it and an insecure example, print the reports',
  steps: [
    { spawn: 'compile' },
    { exec: 'node examples/demo.js' },
  ],
});

project.addTask('test:oracles', {
  description: 'Differential tests against Kubernetes\' own Go code (needs Go; builds the oracles in test/oracle on first use)',
  steps: [
    { exec: 'jest --ci --coverage=false --testPathPatterns=test/oracle/ --testPathIgnorePatterns=/node_modules/' },
  ],
});

project.addTask('test:cluster', {
  description: 'Tests against a real kube-apiserver on loopback (needs Go; builds kube-apiserver and etcd from Go modules on first use, cached in build/cluster)',
  steps: [
    { exec: 'jest --ci --coverage=false --runInBand --testPathPatterns=test/cluster/ --testPathIgnorePatterns=/node_modules/' },
  ],
});

project.addTask('test:package', {
  description: 'Pack the tarball, install it in a temporary project with only its peers, and run the CLI, the Pulumi subpath and a cdk8s synth from there (needs the npm registry)',
  steps: [
    { exec: 'jest --ci --coverage=false --testPathPatterns=test/package/ --testPathIgnorePatterns=/node_modules/' },
  ],
});

project.addTask('test:python', {
  description: 'Build the Python package with jsii-pacmak, install it in a virtual environment with cdk8s from PyPI, synthesize and check the example app from Python (needs Python 3 and PyPI)',
  steps: [
    { exec: 'bash test/python/run.sh' },
  ],
});

project.addTask('docs', {
  description: 'Generate docs/rules.md and docs/controls.md from the rule metadata',
  steps: [{ exec: 'node scripts/generate-docs.js' }],
});

project.addTask('bench', {
  description: 'Benchmark the engine against the js-yaml floor',
  steps: [
    { exec: 'node bench/run.js' },
  ],
});

// A tarball packed from a plain clone (as pre-commit's node hooks pack one) builds itself first.
project.package.setScript('prepack', 'node -e "process.exit(require(\'fs\').existsSync(\'lib/cli/main.js\') ? 0 : 1)" || npx projen compile');
project.synth();
