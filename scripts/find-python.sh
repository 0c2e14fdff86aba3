#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 that really runs: first on the PATH,
# then among pyenv's installed versions (a pyenv shim for a version that is
# not enabled fails, so every candidate is executed, not just located).
set -u
works() { "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
for name in python3.14 python3.13 python3.12 python3 python; do
  p=$(command -v "$name" 2>/dev/null) && candidates+=("$p")
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for p in $(ls -d "$root"/versions/3.*/bin/python3 2>/dev/null | sort -rV); do candidates+=("$p"); done
fi
for p in "${candidates[@]}"; do
  if works "$p"; then
    "$p" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "No Python >= 3.12 found on the PATH or in pyenv." >&2
echo "Install one (e.g. 'apt-get install python3.12 python3.12-venv', or 'pyenv install 3.12') and run make again." >&2
exit 1
