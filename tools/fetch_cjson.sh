#!/bin/sh
# tools/fetch_cjson.sh OUTDIR — a static libcjson.a for the release binary.
# Debian ships libcjson only as a shared library; the release awssim is linked fully static (start
# time and idle memory, issue 2), so this builds the same Debian source package the installed
# libcjson-dev comes from (version pinned, sha256-checked, Debian's patches applied in their series
# order) into OUTDIR/libcjson.a. Idempotent: nothing is fetched when OUTDIR/libcjson.a exists.
set -eu
out=$1
ver=1.7.15
deb=1.7.15-1+deb12u4
pool=http://deb.debian.org/debian/pool/main/c/cjson
[ -f "$out/libcjson.a" ] && exit 0
mkdir -p "$out"
dest=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
curl -fsS -o orig.tar.gz "$pool/cjson_$ver.orig.tar.gz"
curl -fsS -o debian.tar.xz "$pool/cjson_$deb.debian.tar.xz"
sha256sum -c - <<SUMS
5308fd4bd90cef7aa060558514de6a1a4a0819974a26e6ed13973c5f624c24b2  orig.tar.gz
afd19a970966cf534ff1e9ec077d710a5e7e78eb4ec9b499c8bdc32e55da12cb  debian.tar.xz
SUMS
mkdir src
tar -xzf orig.tar.gz -C src --strip-components=1
tar -xJf debian.tar.xz -C src
for p in $(grep -v '^#' src/debian/patches/series); do patch -s -p1 -d src <"src/debian/patches/$p"; done
cc -std=c89 -O2 -ffunction-sections -fdata-sections -fno-pie -c src/cJSON.c -o cJSON.o
ar rcs libcjson.a cJSON.o
cp libcjson.a "$dest/libcjson.a.tmp" && mv "$dest/libcjson.a.tmp" "$dest/libcjson.a"
echo "built $dest/libcjson.a (cjson $deb, Debian source)"
