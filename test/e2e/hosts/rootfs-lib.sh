# shellcheck shell=bash
# What the fixture hosts' rootfs builds share (build-rootfs.sh, stacks/build-stacks-rootfs.sh
# source it): the cache, its lock and version stamp, debootstrap, the SSH access host.ts
# relies on, and the tarball. Each image is cached under its own name in
# $HOIST_FIXTURE_CACHE (default /var/cache/hoist-fixtures):
#   IMAGE.tar, IMAGE.tar.stamp   the root filesystem and its version: the sha256 of the build
#                                script's and this file's sha256s, so editing either rebuilds
#   IMAGE.rootfs-STAMP12/        the same tree unpacked: hosts mount it read-only as an overlay
#                                lowerdir (unpacking 0.5-1 GB per host takes 9-13 s here, an
#                                overlay mount milliseconds)
#   .build-IMAGE.lock            one build per image at a time; images build independently
# A build script, under set -euo pipefail:
#   . rootfs-lib.sh
#   rootfs_begin IMAGE         # if the cache is fresh: unpack it if need be, exit 0
#   cleanup() { ...stop what the build may have left running...; rootfs_cleanup; }
#   trap cleanup EXIT
#   rootfs_bootstrap           # debootstrap; no daemons start; /proc, /dev; apt-get update
#   ...its packages and content (in_root, put, apt_install, rootfs_identity, rootfs_ssh_access,
#   phase)...
#   rootfs_finish              # unmount, tidy, tarball, lowerdir, stamp

ROOTFS_LIB=$(readlink -f "${BASH_SOURCE[0]}")

# rootfs_begin IMAGE: sets SELF, ROOTFS_LOG, CACHE, TARBALL, STAMP_FILE, STAMP and LOWER; waits
# for the image's lock (held until exit); exits 0 if the cache is fresh. Otherwise sets
# MIRROR, BUILD (a scratch dir) and ROOT (the tree being built) and starts the clock.
rootfs_begin() {
  local image=$1
  SELF=$(readlink -f "${BASH_SOURCE[-1]}")
  ROOTFS_LOG=$(basename "$SELF" .sh)
  CACHE=${HOIST_FIXTURE_CACHE:-/var/cache/hoist-fixtures}
  TARBALL=$CACHE/$image.tar
  STAMP_FILE=$TARBALL.stamp
  # Hashes of the contents only: the stamp must not depend on where the checkout is.
  STAMP=$({ sha256sum <"$SELF"; sha256sum <"$ROOTFS_LIB"; } | sha256sum | cut -d' ' -f1)
  LOWER=$CACHE/$image.rootfs-${STAMP:0:12}
  ROOTFS_IMAGE=$image

  mkdir -p "$CACHE"
  # Two test runs may ask at once: the second waits, then finds the cache fresh.
  exec 9>"$CACHE/.build-$image.lock"
  flock 9

  if [[ -f $TARBALL && -f $STAMP_FILE && $(cat "$STAMP_FILE") == "$STAMP" ]]; then
    if [[ ! -d $LOWER ]]; then
      local t0
      t0=$(date +%s%N)
      rm -rf --one-file-system "$LOWER.tmp"
      mkdir "$LOWER.tmp"
      tar --numeric-owner --xattrs -C "$LOWER.tmp" -xf "$TARBALL"
      mv "$LOWER.tmp" "$LOWER"
      echo "$ROOTFS_LOG: unpacked $LOWER in $((($(date +%s%N) - t0) / 1000000)) ms"
    fi
    rootfs_prune_lowers
    echo "$ROOTFS_LOG: cache is fresh ($TARBALL)"
    exit 0
  fi

  # The mirror apt already uses here (the only one reachable). This machine has no
  # sources.list, only deb822 .sources files.
  MIRROR=${HOIST_DEBIAN_MIRROR:-$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '{print $2}' | grep -v security | head -n1 || true)}
  MIRROR=${MIRROR:-http://deb.debian.org/debian}

  BUILD=$(mktemp -d "$CACHE/build-$image.XXXXXX")
  ROOT=$BUILD/root
  T0=$(date +%s%N)
  TP=$T0
}

# Unpacked trees of older versions go, unless a running host still has one as its lowerdir.
rootfs_prune_lowers() {
  local d
  for d in "$CACHE/$ROOTFS_IMAGE".rootfs-*; do
    [[ -d $d && $d != "$LOWER" ]] || continue
    grep -qF "lowerdir=$d," /proc/self/mounts || rm -rf --one-file-system "$d"
  done
}

# The end of the build script's EXIT trap, once it has stopped any daemon it started.
rootfs_cleanup() {
  local m
  for m in "$ROOT/dev" "$ROOT/proc"; do
    if mountpoint -q "$m"; then umount "$m" || umount -l "$m"; fi
  done
  # /dev is bind-mounted from the machine: never delete through a mount that survived.
  if grep -q " $BUILD/" /proc/self/mounts; then
    echo "$ROOTFS_LOG: mounts left under $BUILD, not deleting it" >&2
    return
  fi
  rm -rf --one-file-system "$BUILD"
}

# phase NAME: how long the step just ended took.
phase() {
  local now
  now=$(date +%s%N)
  printf '%s: %-28s %6d ms\n' "$ROOTFS_LOG" "$1" $(((now - TP) / 1000000))
  TP=$now
}

# A clean environment: the chroot must not inherit the caller's locale, proxies or PATH.
in_root() {
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
put() { # put MODE OWNER PATH  < content
  local dest=$ROOT$3
  mkdir -p "$(dirname "$dest")"
  cat >"$dest"
  chmod "$1" "$dest"
  in_root chown "$2" "$3"
}
apt_install() {
  in_root apt-get -q -y install --no-install-recommends "$@" >>"$BUILD/apt.log" 2>&1 ||
    { tail -n 30 "$BUILD/apt.log" >&2; exit 1; }
}

# A minimal Debian 12 in $ROOT, ready for apt_install.
rootfs_bootstrap() {
  debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$BUILD/debootstrap.log" 2>&1 ||
    { tail -n 30 "$BUILD/debootstrap.log" >&2; exit 1; }
  phase debootstrap

  # Package scripts must not start daemons on the build machine.
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 755 "$ROOT/usr/sbin/policy-rc.d"
  mount -t proc proc "$ROOT/proc"
  mount --bind /dev "$ROOT/dev"
  in_root apt-get -q update >"$BUILD/apt.log" 2>&1 || { tail -n 30 "$BUILD/apt.log" >&2; exit 1; }
}

# rootfs_identity HOSTNAME (host.ts rewrites hostname and hosts per host).
rootfs_identity() {
  echo "$1" >"$ROOT/etc/hostname"
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
  # No DNS inside a fixture's namespace: fail lookups at once instead of timing out.
  echo 'nameserver 127.0.0.1' >"$ROOT/etc/resolv.conf"
}

# The hoist login user and key-only sshd. host.ts gives hoist and root their authorized_keys
# at start and reads the host keys made here, so they are stable per cache.
rootfs_ssh_access() {
  in_root useradd --create-home --home-dir /home/hoist --shell /bin/sh --user-group hoist
  # '*' = no password but not locked: with UsePAM no, sshd refuses keys for '!' (locked).
  in_root usermod -p '*' hoist
  in_root usermod -p '*' root

  put 0644 root:root /etc/ssh/sshd_config.d/hoist.conf <<'EOF'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
# No PAM stack to speak of in a fixture host, and PAM would ask for loginuid/systemd.
UsePAM no
EOF
  rm -f "$ROOT"/etc/ssh/ssh_host_*
  in_root ssh-keygen -A >/dev/null
  mkdir -p "$ROOT/run/sshd"
  in_root /usr/sbin/sshd -t -f /etc/ssh/sshd_config
}

# Tidies $ROOT, writes the tarball, keeps the tree as the new lowerdir and stamps the cache.
rootfs_finish() {
  umount "$ROOT/dev" "$ROOT/proc"
  rm -f "$ROOT/usr/sbin/policy-rc.d"
  rm -rf "${ROOT:?}"/run/* "${ROOT:?}"/tmp/* "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*
  tar --numeric-owner --xattrs -C "$ROOT" -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  # The built tree becomes the overlay lowerdir as is; an existing one has the same stamp,
  # hence the same content, and may be in use.
  if [[ -d $LOWER ]]; then rm -rf --one-file-system "$ROOT"; else mv "$ROOT" "$LOWER"; fi
  echo "$STAMP" >"$STAMP_FILE"
  rootfs_prune_lowers
  phase 'tarball'
  printf '%s: %-28s %6d ms (%s MB)\n' "$ROOTFS_LOG" total $((($(date +%s%N) - T0) / 1000000)) \
    "$(($(stat -c %s "$TARBALL") / 1048576))"
}
