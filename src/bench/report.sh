#!/usr/bin/env bash
# Puts a section produced by a benchmark script into docs/BENCHMARKS.md, between
# <!-- NAME:start --> and <!-- NAME:end -->, creating the file or the section when missing.
# Usage: src/bench/report.sh NAME FILE
set -euo pipefail
cd "$(dirname "$0")/../.."
name=$1
section=$2
doc=docs/BENCHMARKS.md
mkdir -p docs
if [ ! -f "$doc" ]; then
    cat > "$doc" <<'HEAD'
# Benchmarks

Every figure below was produced by a script in `src/bench/` on the machine and date it names; rerun the script
to refresh its section. Ratios always compare variants measured in the same run, never against figures from
elsewhere.

HEAD
fi
if ! grep -q "<!-- $name:start -->" "$doc"; then
    printf '<!-- %s:start -->\n<!-- %s:end -->\n\n' "$name" "$name" >> "$doc"
fi
awk -v name="$name" -v section="$section" '
    $0 == "<!-- " name ":start -->" { print; while ((getline line < section) > 0) print line; skipping = 1; next }
    $0 == "<!-- " name ":end -->" { skipping = 0 }
    !skipping { print }
' "$doc" > "$doc.new"
mv "$doc.new" "$doc"
echo "Updated the $name section of $doc"
