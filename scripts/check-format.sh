#!/usr/bin/env bash
# Checks that every C++ file in the repository follows .clang-format
# (clang-format 14, Debian's). `--fix` rewrites the files instead.
# CI runs the check (.ci/run); run `bash scripts/check-format.sh --fix` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format-14}
command -v "$CLANG_FORMAT" >/dev/null || { echo "check-format: $CLANG_FORMAT not found (scripts/deps.sh installs it)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc')
if [[ "${1:-}" == "--fix" ]]; then
  # Only the files that need it are rewritten, so the others keep their
  # modification times and the build does not redo them.
  mapfile -t unformatted < <("$CLANG_FORMAT" --dry-run "${files[@]}" 2>&1 |
    grep -o '^[^:]*\.\(cpp\|hpp\|h\|cc\):[0-9]*:[0-9]*: warning' | cut -d: -f1 | sort -u)
  if ((${#unformatted[@]})); then "$CLANG_FORMAT" -i "${unformatted[@]}"; fi
  echo "check-format: formatted ${#unformatted[@]} of ${#files[@]} files"
  exit 0
fi
if ! "$CLANG_FORMAT" --dry-run --Werror "${files[@]}" 2>/tmp/check-format.$$; then
  grep -o '^[^:]*\.\(cpp\|hpp\|h\|cc\)' /tmp/check-format.$$ | sort -u | sed 's/^/  not formatted: /' >&2
  rm -f /tmp/check-format.$$
  echo "check-format: run 'bash scripts/check-format.sh --fix'" >&2
  exit 1
fi
rm -f /tmp/check-format.$$
echo "check-format: ${#files[@]} files follow .clang-format"
