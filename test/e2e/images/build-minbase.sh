#!/usr/bin/env bash
# Builds, once, the root filesystem of the local stand-in for the `debian:12` base image: a
# plain debootstrap minbase bookworm, as the official image is (debuerreotype, minbase), with
# nothing of the fixture hosts' services in it. No registry is reachable here, so
# base-images.ts imports this tarball into the engine's storage and generated Dockerfiles
# build FROM it with --pull=never. Cached like the fixture hosts' trees (see rootfs-lib.sh):
# <cache>/bookworm-minbase.tar, rebuilt when this script or rootfs-lib.sh changes.
set -euo pipefail

# shellcheck source=../hosts/rootfs-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../hosts/rootfs-lib.sh"

rootfs_begin bookworm-minbase
trap rootfs_cleanup EXIT
rootfs_bootstrap

# Generated Dockerfiles run `apt-get update && apt-get install`: the image needs the sources the
# official image has (deb822, bookworm + updates + security), on the mirrors reachable here.
SECURITY=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
  awk '{print $2}' | grep security | head -n1 || true)
rm -f "$ROOT/etc/apt/sources.list"
{
  printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\n' "$MIRROR"
  printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
  if [[ -n $SECURITY ]]; then
    printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\n' "$SECURITY"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
  fi
} >"$ROOT/etc/apt/sources.list.d/debian.sources"
in_root apt-get -q update >>"$BUILD/apt.log" 2>&1 || { tail -n 30 "$BUILD/apt.log" >&2; exit 1; }
in_root apt-get clean

# The build machine's identity must not leak into the image; engines supply both at run time.
: >"$ROOT/etc/resolv.conf"
echo localhost >"$ROOT/etc/hostname"
phase 'sources'

rootfs_finish
