#!/bin/sh
# tools/worktree.sh NAME — a private git worktree for a parallel engineer: /work/wt-NAME on branch NAME
# (from main), sharing main's Python venv and node_modules through symlinks so no install runs again.
# The lead merges the branch into main when its owner reports it ready (rebased on main).
set -eu
name=$1
main=$(cd "$(dirname "$0")/.." && pwd)
wt=/work/wt-$name
[ -d "$wt" ] || git -C "$main" worktree add -q "$wt" -b "$name" main
cd "$wt"
[ -e .venv ] || ln -s "$main/.venv" .venv
for d in pulumi/typescript mocks/typescript bench/node; do
    [ -d "$main/$d/node_modules" ] && [ ! -e "$d/node_modules" ] && ln -s "$main/$d/node_modules" "$d/node_modules"
done
# older than the shared venv's stamp and node_modules, so `make` does not reinstall into them
touch -d @0 requirements.txt $(ls */*/package-lock.json */package-lock.json 2>/dev/null)
echo "$wt"
