#!/bin/bash
# valgrind-awssim.sh — runs awssim under valgrind memcheck, for the integration tests:
#   make STATIC=0 BUILD=build/dyn all
#   AWSSIM_BIN=$PWD/tools/valgrind-awssim.sh AWSSIM_REAL_BIN=$PWD/build/dyn/awssim \
#     .venv/bin/python -m pytest tests/integration
# Use a shared-library build (STATIC=0): in the fully static release binary memcheck cannot
# replace malloc, so it would see no heap errors and no leaks.
# Any memcheck error or definite/indirect leak makes the server exit 99 at SIGTERM, which fails
# the test that started it (the fixture checks for a clean exit). Logs: $VALGRIND_LOG_DIR/vg.<pid>.log
set -e
dir="${VALGRIND_LOG_DIR:-/tmp/awssim-valgrind}"
mkdir -p "$dir"
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --track-fds=no --num-callers=30 \
  --log-file="$dir/vg.%p.log" "${AWSSIM_REAL_BIN:-build/dyn/awssim}" "$@"
