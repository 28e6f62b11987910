#!/usr/bin/env bash
# Fails when a doctest case name holds a ';': ctest's doctest discovery cuts the name there and
# runs the binary with a filter that matches nothing, so the case would "pass" without running.
set -euo pipefail
root=${1:-$(dirname "$0")/..}
if found=$(grep -rnE --include='*.cpp' --include='*.hpp' 'TEST_CASE\("([^"\\]|\\.)*;' "$root/tests"); then
  echo "check-test-names: these test names hold a ';' (ctest would run none of their checks):" >&2
  echo "$found" >&2
  exit 1
fi
echo "check-test-names: no test name holds a ';'"
