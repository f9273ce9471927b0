#!/usr/bin/env bash
# `npm run test:python`: the kubeharden Python package, built and used as a Python user would.
#
#  1. builds the library if lib/ or its jsii assembly is missing (or has no Python target),
#  2. builds the wheel with jsii-pacmak (into a temporary folder, not dist/),
#  3. installs it in a new virtual environment with cdk8s and constructs from PyPI,
#  4. synthesizes the example app from Python (test/python/app.py) and checks that it is
#     exactly what examples/app/main.ts synthesizes, then checks it with the repository's CLI
#     and the wheel's own `kubeharden` script at --profile hardened (zero findings), and with
#     the engine API from Python; checks the engine on a privileged pod from Python, and that
#     the Guard fails app.synth() on a privileged raw ApiObject with an error naming the rule;
#  5. checks that the README's "From Python" blocks appear verbatim in test/python/app.py.
#
# Needs Node.js, Python 3.10+ with venv, and PyPI. Everything it writes goes to one temporary
# folder, removed at the end (KUBEHARDEN_KEEP_TMP=1 keeps it); pip downloads are cached there
# (KUBEHARDEN_PIP_CACHE_DIR=DIR keeps them across runs instead).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/test/python"
cd "$root"

started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/kubeharden-python.XXXXXX")"
cleanup() {
  if [ "${KUBEHARDEN_KEEP_TMP:-}" = 1 ]; then echo "python: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$work/tmp"

export TMPDIR="$work/tmp"                                  # jsii-pacmak's and pip's scratch folders
export PIP_CACHE_DIR="${KUBEHARDEN_PIP_CACHE_DIR:-$work/pip-cache}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
export JSII_RUNTIME_PACKAGE_CACHE_ROOT="$work/jsii-cache"  # the jsii runtime unpacks the library here
# jsii's banner about Node.js 20 (the project's minimum) would fill every log
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
export PYTHONDONTWRITEBYTECODE=1                          # no __pycache__ in test/python
unset PYTHONPATH VIRTUAL_ENV

phase_started=$SECONDS
phase() {
  echo "python: $1 ($((SECONDS - phase_started)) s)"
  phase_started=$SECONDS
}

# Runs a logged setup step; on failure shows the end of its log and stops.
setup() {
  local log="$work/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "python: FAILED: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || { echo "python: needs Python 3.10 or later (python3 is $(python3 --version 2>&1))" >&2; exit 1; }
echo "python: $(python3 --version), node $(node --version), work folder $work"

# 1. The library.
has_python_target() {
  [ -f .jsii ] && node -e 'process.exit(JSON.parse(require("fs").readFileSync(".jsii", "utf8")).targets?.python ? 0 : 1)'
}
if [ -f lib/index.js ] && [ -f lib/cli/main.js ] && has_python_target; then
  if [ -n "$(find src -name '*.ts' -newer .jsii -print -quit)" ]; then
    echo "python: note: src/ has changed since lib/ was built; build again to test the changes" >&2
  fi
  phase "using the built library in lib/"
else
  setup build bash -c 'npx jsii --silence-warnings=reserved-word && npx tsc -p tsconfig.cli.json && node scripts/copy-subpaths.js'
  phase "built the library (jsii, tsc -p tsconfig.cli.json)"
fi

# 2. The wheel. --no-npmignore: leave .npmignore alone.
setup pacmak npx jsii-pacmak --target python --outdir "$work/dist" --no-npmignore --no-fingerprint
wheel="$(ls "$work"/dist/python/kubeharden-*.whl)"
phase "jsii-pacmak built $(basename "$wheel")"

# 3. The virtual environment: the wheel, and cdk8s and constructs from PyPI within the peer ranges.
venv="$work/venv"
setup venv python3 -m venv "$venv"
py="$venv/bin/python"
setup pip "$py" -m pip install "$wheel" 'cdk8s>=2.70.0,<3.0.0' 'constructs>=10.3.0,<11.0.0'
versions="$("$py" -c 'import importlib.metadata as m
print(", ".join(f"{p} {m.version(p)}" for p in ("kubeharden", "cdk8s", "constructs", "jsii")))')"
phase "installed $versions"

# 4. and 5. The checks: each one counts, and all run even when one fails.
passed=0
failed=0
check() {
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "python: FAILED: $name" >&2
  fi
}

out="$work/out-py"
ref="$work/out-ts"
expected=0

synth_from_python() {
  "$py" "$here/app.py" "$out" || return 1
  echo "ok: python app.py wrote $(cd "$out" && ls | paste -sd ' ')"
}

same_as_typescript() {
  local result
  result="$(node "$here/reference.js" "$out" "$ref")" || { echo "$result"; return 1; }
  echo "$result" | sed '$d'
  expected="$(echo "$result" | tail -n 1)"
  [ "$expected" -gt 0 ]
}

# `LABEL CLI...`: kubeharden check on the Python app's output, expecting exit 0 and a clean report
cli_clean() {
  local label="$1" report="$work/report-$1.json" status=0
  shift
  "$@" check --profile hardened --format json "$out" >"$report" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL: $label: kubeharden check exited $status, expected 0"
    return 1
  fi
  printf '%s: ' "$label"
  "$py" "$here/checks.py" report "$report" "$expected"
}

# the wheel's own kubeharden script on a privileged pod: exit 1 and a pss-privileged finding
cli_finds_privileged() {
  local manifest="$work/privileged-pod.yaml" report="$work/report-privileged.json" status=0
  printf '%s\n' 'apiVersion: v1' 'kind: Pod' 'metadata: {name: agent, namespace: tools}' \
    'spec:' '  containers:' '    - {name: agent, image: "registry.example.com/agent:1.0", securityContext: {privileged: true}}' >"$manifest"
  "$venv/bin/kubeharden" check --profile hardened --format json "$manifest" >"$report" || status=$?
  if [ "$status" -ne 1 ]; then
    echo "FAIL: the wheel's kubeharden exited $status on a privileged pod, expected 1"
    return 1
  fi
  "$py" - "$report" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
ids = [f["ruleId"] for f in report["findings"] if not f["suppressed"]]
if "pss-privileged" not in ids:
    sys.exit(f"FAIL: the wheel's kubeharden found {sorted(set(ids))} on a privileged pod, no pss-privileged")
print(f"wheel-cli: ok: exit 1 on a privileged pod, {len(ids)} findings including pss-privileged")
PY
}

check "README python blocks in app.py" "$py" "$here/checks.py" readme "$root/README.md" "$here/app.py"
check "synthesize the app from Python" synth_from_python
check "the same manifests as examples/app/main.ts" same_as_typescript
check "node bin/kubeharden check: zero findings" cli_clean repository-cli node "$root/bin/kubeharden"
check "the wheel's kubeharden check: zero findings" cli_clean wheel-cli "$venv/bin/kubeharden"
check "the wheel's kubeharden check: a privileged pod" cli_finds_privileged
check "Engine.check_paths from Python" "$py" "$here/checks.py" engine-paths "$out" "$expected"
check "Engine.check_objects from Python" "$py" "$here/checks.py" engine
check "Guard fails synth on a privileged ApiObject" "$py" "$here/checks.py" guard "$work/out-privileged"
phase "checks"

echo "python: $passed passed, $failed failed"
echo "python: took $((SECONDS - started)) s"
[ "$failed" -eq 0 ]
