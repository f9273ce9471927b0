#!/usr/bin/env bash
# Builds an oracle, `build.sh [decode|admission]` (default decode): the
# kubectl decoding oracle (test/oracle/decode) into build/oracle/decode, or the
# ValidatingAdmissionPolicy oracle (test/oracle/admission) into
# build/oracle/admission, but only when its sources changed: a SHA-256 of
# go.mod, go.sum, every *.go file and `go version` is kept beside the binary
# (build/oracle/NAME.sha256) and compared on each run.
#
# Exit status:
#   0  the binary is up to date (its path is printed on stdout)
#   2  Go is not installed (or not on PATH)
#   3  the Go modules could not be downloaded (no network / no module proxy)
#   1  anything else (for instance a compile error)
#
# Modules come from the Go module proxy as usual ($GOPROXY); a warm module
# cache ($(go env GOMODCACHE)) lets the build run offline.
#
# Possible offline fallback, NOT implemented: Debian ships
# golang-k8s-sigs-yaml-dev (sigs.k8s.io/yaml and its go-yaml v2 fork), which
# could serve a YAML-only build with GOFLAGS=-mod=vendor/GOPATH mode. It would
# not include k8s.io/apimachinery or k8s.io/cli-runtime, so it could only
# check YAML-to-JSON conversion, not kubectl's stream splitting or List
# flattening; for now a missing network is reported with exit status 3.
set -euo pipefail

oracle="${1:-decode}"
case "$oracle" in
  decode | admission) ;;
  *)
    echo "build.sh: unknown oracle '$oracle' (expected decode or admission)" >&2
    exit 1
    ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/$oracle"
root="$(cd "$here/../.." && pwd)"
out_dir="$root/build/oracle"
bin="$out_dir/$oracle"
stamp="$bin.sha256"

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: Go is not installed or not on PATH; the $oracle oracle needs Go (see test/oracle/README.md)." >&2
  exit 2
fi

mkdir -p "$out_dir"

# Several jest workers may call this at once: serialise them.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$out_dir/.build.lock"
  flock 9
fi

hash_sources() {
  (
    cd "$src"
    go version
    for f in go.mod go.sum $(LC_ALL=C ls -- *.go); do
      printf '== %s\n' "$f"
      cat -- "$f"
    done
  ) | sha256sum | cut -d' ' -f1
}

want="$(hash_sources)"
if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "$bin"
  exit 0
fi

echo "build.sh: building the $oracle oracle into $bin" >&2
cd "$src"

# Fetch modules first, so that a network failure can be told apart from a
# compile error. -mod=readonly: never rewrite go.mod/go.sum.
dl_log="$(mktemp)"
trap 'rm -f "$dl_log"' EXIT
if ! go mod download >"$dl_log" 2>&1; then
  tail -n 20 "$dl_log" >&2
  echo "build.sh: could not download the Go modules of test/oracle/$oracle (no network, or the Go module proxy $(go env GOPROXY) is unreachable)." >&2
  echo "build.sh: run this script once with network access to fill the module cache $(go env GOMODCACHE); after that it builds offline." >&2
  exit 3
fi

tmp="$bin.tmp.$$"
if ! go build -mod=readonly -trimpath -ldflags='-s -w' -o "$tmp" .; then
  rm -f "$tmp"
  echo "build.sh: go build failed (see the errors above)." >&2
  exit 1
fi
mv -f "$tmp" "$bin"
echo "$want" >"$stamp"
echo "$bin"
