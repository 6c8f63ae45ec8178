#!/usr/bin/env bash
# Runs go-ethereum v1.11.6's own consensus/ethash benchmarks, plus a varying-input benchmark
# of ours compiled into that package, then ours, in one invocation on the same machine.
# go-ethereum is vendored into a temporary copy of this module (never into the repository)
# so that -overlay may add our benchmark file to its package.
#
# ROUNDS=N repeats the whole comparison N times (default 1), so that noise on a shared
# machine shows as spread between rounds rather than as a bias against whichever ran last.
# MVS_DAG=path/full-R23-0000000000000000 adds full hashimoto on that mapped epoch-0 DAG, both sides.
# CPP_BENCH=path runs a chfast/ethash light-verification benchmark binary in each round too
# (BENCHMARKS.md says how the one quoted there was built; nothing of it is committed).
# ROUNDS=0 only builds the two test binaries. The script runs from any directory: paths it
# is given are made absolute before it moves to its temporary module.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
abs() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
if [ -n "${MVS_DAG:-}" ]; then MVS_DAG="$(abs "$MVS_DAG")"; export MVS_DAG; fi
if [ -n "${CPP_BENCH:-}" ]; then CPP_BENCH="$(abs "$CPP_BENCH")"; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here"/go.mod "$here"/go.sum "$here"/*.go "$tmp"/
sed -i "s#=> ../../..#=> $root#" "$tmp/go.mod"
(cd "$tmp" && go mod vendor)
pkg="$tmp/vendor/github.com/ethereum/go-ethereum/consensus/ethash"
# go mod vendor omits test files; the benchmarks (algorithm_test.go) come from the module cache.
# Asked of the comparison module, not of whatever module the caller stands in.
gethdir="$(cd "$tmp" && go list -mod=mod -m -f "{{.Dir}}" github.com/ethereum/go-ethereum)"
cp "$gethdir"/consensus/ethash/algorithm_test.go "$pkg"/
chmod -R u+w "$pkg"
printf '{"Replace":{"%s/zz_mvs_varying_test.go":"%s/overlay/geth_varying_test.go.in"}}' "$pkg" "$here" > "$tmp/overlay.json"
cd "$tmp"
go test -mod=vendor -overlay overlay.json -c -o geth.test github.com/ethereum/go-ethereum/consensus/ethash
go test -mod=vendor -c -o mvs.test .
for round in $(seq "${ROUNDS:-1}"); do
	echo "== round $round"
	./geth.test -test.run XXX -test.bench 'HashimotoLight|CacheGeneration|HashimotoFullDAG' -test.benchmem
	./mvs.test -test.run XXX -test.bench . -test.benchmem
	if [ -n "${CPP_BENCH:-}" ]; then "$CPP_BENCH" 3; fi
done
