#!/usr/bin/env bash
# Static checks beyond go vet, with tools pinned in tools/go.mod (a separate
# module, so the library's go.mod stays minimal):
#
#   staticcheck   honnef.co/go/tools v0.8.2, must report nothing
#   govulncheck   golang.org/x/vuln, against https://vuln.go.dev; where that
#                 cannot be reached (sandboxed machines) against a local copy
#                 built from the golang.org/x/vulndb module (pinned below,
#                 fetched through the Go module proxy, indexed once into
#                 $(go env GOCACHE)/tfc-vulndb). It runs under the toolchain
#                 that go.mod's toolchain line names (the patched release that
#                 builds are meant to use; downloaded through the proxy): the
#                 Go standard library's own vulnerabilities are fixed by
#                 moving that line, and a local toolchain older than it is
#                 named in a warning. Any finding fails.
#
# Usage: scripts/lint.sh   (from anywhere; .ci/run calls it)
set -euo pipefail
cd "$(dirname "$0")/.."
tools=(go tool -modfile=tools/go.mod)

echo "staticcheck ./..."
"${tools[@]}" staticcheck ./...

vulndb=v0.0.0-20261105234957-e22db6528018 # golang.org/x/vulndb, 2026-11-05
toolchain=$(awk '$1 == "toolchain" {print $2}' go.mod)
local=$(GOTOOLCHAIN=local go env GOVERSION)
db=https://vuln.go.dev
if ! curl -fsS -m 10 -o /dev/null "$db/index/db.json.gz" 2>/dev/null; then
	db=$(go env GOCACHE)/tfc-vulndb/$vulndb
	if [ ! -s "$db/index/db.json" ]; then
		echo "govulncheck: vuln.go.dev is unreachable; indexing golang.org/x/vulndb@$vulndb into $db (once)"
		src=$(go mod download -json "golang.org/x/vulndb@$vulndb" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
		rm -rf "$db.tmp"
		go run "golang.org/x/vulndb/cmd/indexdb@$vulndb" -vulns "$src/data/osv" -out "$db.tmp" >/dev/null
		mv "$db.tmp" "$db"
	fi
	db=file://$db
fi
echo "govulncheck ./... (database $db, toolchain ${toolchain:-$local})"
if [ -n "$toolchain" ] && [ "$toolchain" != "$local" ]; then
	echo "govulncheck: warning: the local Go ($local) differs from go.mod's toolchain ($toolchain); builds here use the local one (GOTOOLCHAIN=local), set GOTOOLCHAIN=$toolchain for release builds" >&2
fi
GOTOOLCHAIN=${toolchain:-local} "${tools[@]}" govulncheck -db "$db" ./...
