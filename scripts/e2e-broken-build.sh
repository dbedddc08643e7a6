#!/usr/bin/env bash
# Proves that the e2e suite goes red when the extension is broken.
#
# Takes the packaged extension, replaces its language server
# (extension/dist/server.js) with one line that exits at start, re-zips it,
# and runs scenario 1 (test/e2e/problems.e2e.test.ts, examples/platform-repo)
# against that broken vsix. Exits 0 only when the scenario ran and failed for
# the right reason: VS Code started, the broken extension installed, and the
# Problems panel never showed the expected findings. Any other outcome (the
# suite passed, was skipped, or failed before the workbench came up) exits 1.
#
# Usage: scripts/e2e-broken-build.sh [path/to/meshlens.vsix]
#   default: meshlens-0.1.0.vsix at the repo root, packaged first when missing.
# Needs: scripts/setup-e2e.sh done, `zip` and `unzip` on PATH.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

good_vsix="${1:-meshlens-0.1.0.vsix}"
if [ ! -f "$good_vsix" ]; then
  if [ $# -gt 0 ]; then echo "e2e-broken-build: no such vsix: $good_vsix" >&2; exit 1; fi
  echo "==> packaging (no $good_vsix yet)"
  npm run package
fi
for tool in zip unzip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "e2e-broken-build: '$tool' is needed (apt-get install $tool)" >&2; exit 1; }
done

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
broken_vsix="$work_dir/meshlens-broken.vsix"
report="$work_dir/report.json"

echo "==> building a broken vsix from $good_vsix (server exits at start)"
unzip -q "$good_vsix" -d "$work_dir/unpacked"
server="$work_dir/unpacked/extension/dist/server.js"
[ -f "$server" ] || { echo "e2e-broken-build: $good_vsix has no extension/dist/server.js" >&2; exit 1; }
echo 'process.exit(1);' > "$server"
(cd "$work_dir/unpacked" && zip -q -X -r "$broken_vsix" .)
unzip -p "$broken_vsix" extension/dist/server.js | grep -qx 'process.exit(1);' \
  || { echo "e2e-broken-build: the re-zipped vsix does not hold the broken server" >&2; exit 1; }

echo "==> running scenario 1 against the broken vsix (expected to fail)"
set +e
MESHLENS_VSIX="$broken_vsix" MESHLENS_E2E_REQUIRED=1 \
  npx vitest run --config vitest.e2e.config.ts test/e2e/problems.e2e.test.ts \
  --reporter=default --reporter=json --outputFile.json="$report"
suite_exit=$?
set -e

# Red for the right reason: the test itself failed on the Problems panel.
verdict="$(node -e '
  const fs = require("fs");
  const file = process.argv[1];
  if (!fs.existsSync(file)) { console.log("no-report"); process.exit(0); }
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  const tests = report.testResults.flatMap((suite) => suite.assertionResults);
  const failed = tests.filter((test) => test.status === "failed");
  const messages = failed.flatMap((test) => test.failureMessages).join("\n");
  if (tests.length === 0) console.log("no-tests");
  else if (failed.length === 0) console.log("passed");
  else if (/Problems panel never matched/.test(messages)) console.log("red-on-problems");
  else console.log("red-for-another-reason: " + messages.split("\n")[0]);
' "$report")"

echo "==> suite exit code: $suite_exit; outcome: $verdict"
if [ "$suite_exit" -ne 0 ] && [ "$verdict" = "red-on-problems" ]; then
  echo "e2e-broken-build: OK — the suite fails when the language server is broken."
  exit 0
fi
echo "e2e-broken-build: FAILED — a broken build did not make the suite red on the Problems panel." >&2
exit 1
