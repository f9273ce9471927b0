// `npm run demo`: synthesizes the example cdk8s app, checks it (expecting no finding),
// then checks the deliberately insecure manifests (expecting findings) and prints both reports.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'bin', 'kubeharden');
let ok = true;

function step(title) {
  process.stdout.write(`\n=== ${title}\n\n`);
}

function kubeharden(args) {
  process.stdout.write(`$ kubeharden ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  return r.status;
}

const appMain = path.join(root, 'examples', 'app', 'synth.ts');
if (fs.existsSync(appMain)) {
  step('Synthesizing the example cdk8s app (examples/app)');
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
  require(appMain);
  step('Checking the synthesized app: hardened profile, expecting no finding');
  const status = kubeharden(['check', 'examples/app/dist']);
  if (status !== 0) {
    ok = false;
    process.stdout.write(`\nThe example app should pass the hardened profile, but kubeharden exited ${status}.\n`);
  }
}

step('Checking deliberately insecure manifests (examples/insecure), expecting findings');
const status = kubeharden(['check', 'examples/insecure']);
if (status !== 1) {
  ok = false;
  process.stdout.write(`\nThe insecure examples should produce findings (exit 1), but kubeharden exited ${status}.\n`);
}

process.stdout.write(ok ? '\nDemo finished: the example app is clean and every insecure example was caught.\n' : '\nDemo failed.\n');
process.exitCode = ok ? 0 : 1;
