#!/usr/bin/env bash
# Builds the programs of the cluster tests into build/cluster/, but only when
# their sources changed:
#
#   build/cluster/kube-apiserver           from k8s.io/kubernetes (module test/cluster/apiserver)
#   build/cluster/etcd                     go.etcd.io/etcd/server/v3/embed in a tiny main (module test/cluster/etcd)
#   build/cluster/kube-controller-manager  from k8s.io/kubernetes (module test/cluster/apiserver)
#
# A SHA-256 of go.mod, go.sum, every *.go file, the build flags and
# `go version` is kept beside each binary (<binary>.sha256) and compared on
# each run. Fresh clones (CI) can reuse binaries from a cache directory outside
# the clone: $KUBEHARDEN_CLUSTER_CACHE, by default
# ${XDG_CACHE_HOME:-$HOME/.cache}/kubeharden/cluster. A cached binary whose
# stamp equals the wanted one is copied instead of rebuilt; every binary built
# here is stored there too (set KUBEHARDEN_CLUSTER_CACHE= to an empty value to
# turn the cache off).
#
# Exit status:
#   0  the binaries are up to date (their paths are printed on stdout, one a
#      line: kube-apiserver, etcd, kube-controller-manager)
#   2  Go is not installed (or not on PATH)
#   3  the Go modules could not be downloaded (no network / no module proxy)
#   1  anything else (for instance a compile error)
#
# Modules come from the Go module proxy as usual ($GOPROXY); a warm module
# cache ($(go env GOMODCACHE)) lets the build run offline. The cold build of
# kube-apiserver and kube-controller-manager takes many minutes on two cores
# (see test/cluster/README.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out_dir="$root/build/cluster"
if [[ -z "${KUBEHARDEN_CLUSTER_CACHE+set}" ]]; then
  KUBEHARDEN_CLUSTER_CACHE="${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/kubeharden/cluster"
fi
cache="$KUBEHARDEN_CLUSTER_CACHE"

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: Go is not installed or not on PATH; the cluster tests build kube-apiserver, kube-controller-manager and etcd with Go (see test/cluster/README.md)." >&2
  exit 2
fi

mkdir -p "$out_dir"

# Several test files (or several clones sharing a cache) may call this at
# once: serialise them.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$out_dir/.build.lock"
  flock 9
fi

# The Kubernetes release the apiserver module pins, for the version that
# /version reports (a module build has no git tree to ask).
kube_version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 } $1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2 }' "$here/apiserver/go.mod" | head -n 1)"
if [[ ! "$kube_version" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]]; then
  echo "build.sh: test/cluster/apiserver/go.mod: no 'require k8s.io/kubernetes vX.Y.Z' line found." >&2
  exit 1
fi
kube_major="${BASH_REMATCH[1]}"
kube_minor="${BASH_REMATCH[2]}"
cb=k8s.io/component-base/version
apiserver_ldflags="-s -w -X $cb.gitVersion=$kube_version -X $cb.gitMajor=$kube_major -X $cb.gitMinor=$kube_minor -X $cb.gitTreeState=clean"
etcd_ldflags="-s -w"

hash_sources() { # <module dir> <package> <ldflags>
  (
    cd "$1"
    go version
    go env GOOS GOARCH CGO_ENABLED
    printf 'package %s\nldflags %s\n' "$2" "$3"
    for f in go.mod go.sum $(LC_ALL=C ls -- *.go 2>/dev/null); do
      printf '== %s\n' "$f"
      cat -- "$f"
    done
  ) | sha256sum | cut -d' ' -f1
}

# Copies a file to its destination through a temporary name, so that a reader
# never sees half a binary.
install_file() { # <from> <to>
  local tmp="$2.tmp.$$"
  cp -f -- "$1" "$tmp" && chmod 0755 "$tmp" && mv -f -- "$tmp" "$2"
}

build_one() { # <name> <module dir> <package> <ldflags>
  local name="$1" src="$2" pkg="$3" ldflags="$4"
  local bin="$out_dir/$name" stamp="$out_dir/$name.sha256"
  local want
  want="$(hash_sources "$src" "$pkg" "$ldflags")"
  if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  if [[ -n "$cache" && -x "$cache/$name" && -f "$cache/$name.sha256" && "$(cat "$cache/$name.sha256")" == "$want" ]]; then
    echo "build.sh: $name: taking the cached build from $cache" >&2
    install_file "$cache/$name" "$bin"
    echo "$want" >"$stamp"
    return 0
  fi

  echo "build.sh: building $name into $bin (a first build of the Kubernetes programs takes minutes)" >&2
  local dl_log
  dl_log="$(mktemp)"
  # -mod=readonly: never rewrite go.mod/go.sum. Fetch modules first, so that a
  # network failure can be told apart from a compile error.
  if ! (cd "$src" && go mod download) >"$dl_log" 2>&1; then
    tail -n 20 "$dl_log" >&2
    rm -f "$dl_log"
    echo "build.sh: could not download the Go modules of ${src#"$root/"} (no network, or the Go module proxy $(go env GOPROXY) is unreachable)." >&2
    echo "build.sh: run this script once with network access to fill the module cache $(go env GOMODCACHE); after that it builds offline." >&2
    exit 3
  fi
  rm -f "$dl_log"

  local tmp="$bin.tmp.$$"
  local started=$SECONDS
  if ! (cd "$src" && CGO_ENABLED="${CGO_ENABLED:-0}" go build -mod=readonly -trimpath -buildvcs=false -ldflags="$ldflags" -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    echo "build.sh: go build of $name failed (see the errors above)." >&2
    exit 1
  fi
  mv -f "$tmp" "$bin"
  echo "$want" >"$stamp"
  echo "build.sh: built $name in $((SECONDS - started))s ($(du -h "$bin" | cut -f1))" >&2

  if [[ -n "$cache" ]]; then
    if mkdir -p "$cache" 2>/dev/null && install_file "$bin" "$cache/$name" 2>/dev/null; then
      echo "$want" >"$cache/$name.sha256.tmp.$$" && mv -f "$cache/$name.sha256.tmp.$$" "$cache/$name.sha256"
    else
      echo "build.sh: note: could not store $name in the cache $cache (continuing)." >&2
    fi
  fi
}

# CGO_ENABLED is part of the stamp: pin it for the hash as for the build.
export CGO_ENABLED="${CGO_ENABLED:-0}"
build_one kube-apiserver "$here/apiserver" k8s.io/kubernetes/cmd/kube-apiserver "$apiserver_ldflags"
build_one etcd "$here/etcd" . "$etcd_ldflags"
build_one kube-controller-manager "$here/apiserver" k8s.io/kubernetes/cmd/kube-controller-manager "$apiserver_ldflags"
echo "$out_dir/kube-apiserver"
echo "$out_dir/etcd"
echo "$out_dir/kube-controller-manager"
