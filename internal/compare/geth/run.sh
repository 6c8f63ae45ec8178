#!/usr/bin/env bash
# Runs go-ethereum v1.11.6's own consensus/ethash benchmarks, plus a varying-input benchmark
# of ours compiled into that package, then ours, in one invocation on the same machine.
# go-ethereum is vendored into a temporary copy of this module (never into the repository)
# so that -overlay may add our benchmark file to its package.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here"/go.mod "$here"/go.sum "$here"/*.go "$tmp"/
sed -i "s#=> ../../..#=> $root#" "$tmp/go.mod"
(cd "$tmp" && go mod vendor)
pkg="$tmp/vendor/github.com/ethereum/go-ethereum/consensus/ethash"
# go mod vendor omits test files; the benchmarks (algorithm_test.go) come from the module cache.
cp "$(go list -m -f "{{.Dir}}" github.com/ethereum/go-ethereum)"/consensus/ethash/algorithm_test.go "$pkg"/
chmod -R u+w "$pkg"
printf '{"Replace":{"%s/zz_mvs_varying_test.go":"%s/overlay/geth_varying_test.go.in"}}' "$pkg" "$here" > "$tmp/overlay.json"
cd "$tmp"
go test -mod=vendor -overlay overlay.json -run XXX -bench 'HashimotoLight|CacheGeneration' -benchmem github.com/ethereum/go-ethereum/consensus/ethash
go test -mod=vendor -run XXX -bench . -benchmem .
