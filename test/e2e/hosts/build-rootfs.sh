#!/usr/bin/env bash
# Builds, once, the Debian 12 root filesystem the e2e fixture hosts boot from: a "legacy"
# box with nginx, PostgreSQL, redis, cron, a python app run by a non-root user and a planted
# secret. The tarball is rebuilt only when missing or when this script changes (its sha256
# is the version stamp), so edit this file to change the fixture and every cache follows.
#
# Beside the tarball it keeps the same tree unpacked (bookworm-legacy.rootfs-<stamp>): hosts
# mount it read-only as an overlay lowerdir, because unpacking 550 MB per host takes 9-13 s
# here while an overlay mount takes milliseconds.
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
CACHE=${HOIST_FIXTURE_CACHE:-/var/cache/hoist-fixtures}
TARBALL=$CACHE/bookworm-legacy.tar
STAMP_FILE=$TARBALL.stamp
STAMP=$(sha256sum "$SELF" | cut -d' ' -f1)
# Keep in sync with PLANTED_SECRET and FIXTURE_MARKERS in host.ts (host.ts checks on start).
SECRET=s3cr3t-Planted-7f2c9a
SITE_MARKER=hoist-fixture-site-7d41
APP_MARKER=hoist-fixture-billing-app-3e9b

mkdir -p "$CACHE"
# Two test runs may ask at once: the second waits, then finds the cache fresh.
exec 9>"$CACHE/.build.lock"
flock 9
LOWER=$CACHE/bookworm-legacy.rootfs-${STAMP:0:12}

# Unpacked trees of older versions go, unless a running host still has one as its lowerdir.
prune_lowers() {
  local d
  for d in "$CACHE"/bookworm-legacy.rootfs-*; do
    [[ -d $d && $d != "$LOWER" ]] || continue
    grep -qF "lowerdir=$d," /proc/self/mounts || rm -rf --one-file-system "$d"
  done
}

if [[ -f $TARBALL && -f $STAMP_FILE && $(cat "$STAMP_FILE") == "$STAMP" ]]; then
  if [[ ! -d $LOWER ]]; then
    T0=$(date +%s%N)
    rm -rf --one-file-system "$LOWER.tmp"
    mkdir "$LOWER.tmp"
    tar --numeric-owner --xattrs -C "$LOWER.tmp" -xf "$TARBALL"
    mv "$LOWER.tmp" "$LOWER"
    echo "build-rootfs: unpacked $LOWER in $((($(date +%s%N) - T0) / 1000000)) ms"
  fi
  prune_lowers
  echo "build-rootfs: cache is fresh ($TARBALL)"
  exit 0
fi

# The mirror apt already uses here (the only one reachable). This machine has no
# sources.list, only deb822 .sources files.
MIRROR=${HOIST_DEBIAN_MIRROR:-$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
  awk '{print $2}' | grep -v security | head -n1 || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

BUILD=$(mktemp -d "$CACHE/build.XXXXXX")
ROOT=$BUILD/root
PG_CTL=/usr/lib/postgresql/15/bin/pg_ctl
PG_DATA=/var/lib/postgresql/15/main
PG_CONF=/etc/postgresql/15/main/postgresql.conf

cleanup() {
  # Stop a postgres left running by a failed build, or the mounts below stay busy.
  if [[ -f $ROOT$PG_DATA/postmaster.pid ]]; then
    chroot --userspec=postgres:postgres "$ROOT" "$PG_CTL" -D "$PG_DATA" -m immediate -w stop || true
  fi
  for m in "$ROOT/dev" "$ROOT/proc"; do
    if mountpoint -q "$m"; then umount "$m" || umount -l "$m"; fi
  done
  # /dev is bind-mounted from the machine: never delete through a mount that survived.
  if grep -q " $BUILD/" /proc/self/mounts; then
    echo "build-rootfs: mounts left under $BUILD, not deleting it" >&2
    return
  fi
  rm -rf --one-file-system "$BUILD"
}
trap cleanup EXIT

T0=$(date +%s%N)
TP=$T0
phase() {
  local now
  now=$(date +%s%N)
  printf 'build-rootfs: %-28s %6d ms\n' "$1" $(((now - TP) / 1000000))
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

debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$BUILD/debootstrap.log" 2>&1 ||
  { tail -n 30 "$BUILD/debootstrap.log" >&2; exit 1; }
phase debootstrap

# Package scripts must not start daemons on the build machine.
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
# python3-apt: what Ansible's package_facts (the benchmark peer) needs on a Debian host, as on most real ones.
in_root apt-get -q update >"$BUILD/apt.log" 2>&1 || { tail -n 30 "$BUILD/apt.log" >&2; exit 1; }
in_root apt-get -q -y install --no-install-recommends \
  openssh-server nginx redis-server postgresql cron python3 python3-apt sudo procps iproute2 \
  >>"$BUILD/apt.log" 2>&1 || { tail -n 30 "$BUILD/apt.log" >&2; exit 1; }
# The savings model must cope with a host that keeps no sysstat history.
# (dpkg-query -W also lists packages merely known to dpkg, so check the status itself.)
# shellcheck disable=SC2016 # dpkg's own format, not a shell expansion
if in_root dpkg-query -W -f '${Status}' sysstat 2>/dev/null | grep -q ' installed$'; then
  echo "build-rootfs: sysstat got installed" >&2
  exit 1
fi
in_root apt-get clean
phase 'packages'

# --- identity and users -------------------------------------------------------------
echo legacy >"$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
# No DNS inside a fixture's namespace: fail lookups at once instead of timing out.
echo 'nameserver 127.0.0.1' >"$ROOT/etc/resolv.conf"
in_root useradd --system --user-group --home-dir /opt/billing --shell /usr/sbin/nologin billing
in_root useradd --create-home --home-dir /home/hoist --shell /bin/sh --user-group hoist
# '*' = no password but not locked: with UsePAM no, sshd refuses keys for '!' (locked).
in_root usermod -p '*' hoist
in_root usermod -p '*' root

put 0440 root:root /etc/sudoers.d/hoist <<'EOF'
# Hoist scans read-only and needs no sudo. For --sudo scenarios a test enables
# hoist-nopasswd.disabled (sudo skips files whose name contains a dot).
# hoist ALL=(ALL) NOPASSWD: ALL
EOF
put 0440 root:root /etc/sudoers.d/hoist-nopasswd.disabled <<'EOF'
hoist ALL=(ALL) NOPASSWD: ALL
EOF
in_root visudo -c -q

# --- sshd: key-only logins; host keys made here so they are stable per cache ----------
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

# --- nginx site ----------------------------------------------------------------------
put 0644 root:root /var/www/html/index.html <<EOF
<!doctype html>
<html><head><title>Billing portal</title></head>
<body><h1>Billing portal</h1><p>$SITE_MARKER</p></body></html>
EOF

# --- redis: the package's limits assume systemd raising nofile; root cannot here -----
cat >>"$ROOT/etc/redis/redis.conf" <<'EOF'

# Fixture hosts: the hard nofile limit is 20000 and cannot be raised; stay well below it.
maxclients 1000
EOF

# --- the billing application ---------------------------------------------------------
install -d -m 0755 "$ROOT/opt/billing/bin"
install -d -m 0750 "$ROOT/etc/billing" "$ROOT/var/lib/billing/exports" "$ROOT/var/log/billing"
in_root chown root:billing /etc/billing
in_root chown -R billing:billing /var/lib/billing /var/log/billing
put 0640 root:billing /etc/billing/app.conf <<EOF
[server]
listen = 0.0.0.0:8080

[database]
host = localhost
port = 5432
name = billing
user = billing
db_password = $SECRET
EOF
put 0640 root:billing /etc/billing/billing.env <<EOF
BILLING_DB_PASSWORD=$SECRET
BILLING_MODE=batch
EOF
put 0755 root:root /opt/billing/app.py <<EOF
#!/usr/bin/python3
"""In-house billing API: stands in for the kind of app a legacy box runs as its own user."""
import configparser
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

conf = configparser.ConfigParser()
if not conf.read('/etc/billing/app.conf'):
    raise SystemExit('cannot read /etc/billing/app.conf')
host, port = conf['server']['listen'].rsplit(':', 1)
# Read like a real app would; never echoed back.
db_password = os.environ.get('BILLING_DB_PASSWORD') or conf['database']['db_password']
BODY = b'$APP_MARKER: invoices service up\n'


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


ThreadingHTTPServer((host, int(port)), Handler).serve_forever()
EOF
put 0755 root:root /opt/billing/bin/export.sh <<'EOF'
#!/bin/sh
# Nightly invoice export for finance; --verify only counts rows.
set -eu
if [ "${1:-}" = --verify ]; then
  exec psql -At -d billing -c 'select count(*) from invoices'
fi
psql -At -d billing -c '\copy (select * from invoices order by id) to stdout with csv' \
  >"/var/lib/billing/exports/invoices-$(date +%F).csv"
EOF
put 0644 root:root /etc/cron.d/billing-export <<'EOF'
# Nightly invoice export for finance (OPS-142)
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
30 2 * * * billing /opt/billing/bin/export.sh
EOF
# Through crontab(1), so the spool file has the owner, group and mode cron expects.
echo '15 * * * * /opt/billing/bin/export.sh --verify >/dev/null 2>&1' | in_root crontab -u billing -
put 0644 root:root /etc/systemd/system/billing.service <<'EOF'
[Unit]
Description=Billing API (in-house)
After=network.target postgresql.service

[Service]
Type=simple
User=billing
Group=billing
WorkingDirectory=/opt/billing
EnvironmentFile=/etc/billing/billing.env
ExecStart=/usr/bin/python3 /opt/billing/app.py
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$ROOT/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/billing.service "$ROOT/etc/systemd/system/multi-user.target.wants/billing.service"
phase 'content'

# --- the billing database: postgres started briefly, Unix socket only (no TCP port on the
# build machine), stopped cleanly so the cluster needs no recovery at first boot ------
install -d -o "$(stat -c %u "$ROOT$PG_DATA")" -g "$(stat -c %g "$ROOT$PG_DATA")" -m 2775 \
  "$ROOT/run/postgresql"
as_postgres() {
  chroot --userspec=postgres:postgres "$ROOT" /usr/bin/env -i PATH=/usr/bin:/bin \
    HOME=/var/lib/postgresql LANG=C.UTF-8 "$@"
}
as_postgres "$PG_CTL" -D "$PG_DATA" -l /var/log/postgresql/postgresql-15-main.log -w \
  -o "-c config_file=$PG_CONF -c listen_addresses=''" start >/dev/null
as_postgres psql -q -v ON_ERROR_STOP=1 <<EOF
CREATE ROLE billing LOGIN PASSWORD '$SECRET';
CREATE DATABASE billing OWNER billing;
\\c billing
SET ROLE billing;
CREATE TABLE invoices (
  id serial PRIMARY KEY,
  customer text NOT NULL,
  amount_cents integer NOT NULL,
  issued_on date NOT NULL
);
INSERT INTO invoices (customer, amount_cents, issued_on) VALUES
  ('Acme Ltd', 125000, '2023-01-31'),
  ('Globex', 98050, '2023-02-28'),
  ('Initech', 4200, '2023-03-31');
EOF
as_postgres "$PG_CTL" -D "$PG_DATA" -m fast -w stop >/dev/null
phase 'postgres database'

umount "$ROOT/dev" "$ROOT/proc"
rm -f "$ROOT/usr/sbin/policy-rc.d"
rm -rf "${ROOT:?}"/run/* "${ROOT:?}"/tmp/* "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*
tar --numeric-owner --xattrs -C "$ROOT" -cf "$TARBALL.tmp" .
mv "$TARBALL.tmp" "$TARBALL"
# The built tree becomes the overlay lowerdir as is; an existing one has the same stamp,
# hence the same content, and may be in use.
if [[ -d $LOWER ]]; then rm -rf --one-file-system "$ROOT"; else mv "$ROOT" "$LOWER"; fi
echo "$STAMP" >"$STAMP_FILE"
prune_lowers
phase 'tarball'
printf 'build-rootfs: %-28s %6d ms (%s MB)\n' total $((($(date +%s%N) - T0) / 1000000)) \
  "$(($(stat -c %s "$TARBALL") / 1048576))"
