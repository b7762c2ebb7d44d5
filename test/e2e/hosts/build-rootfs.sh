#!/usr/bin/env bash
# Builds, once, the Debian 12 root filesystem the e2e fixture hosts boot from: a "legacy"
# box with nginx, PostgreSQL, redis, cron, a python app run by a non-root user and a planted
# secret. The tarball is rebuilt only when missing or when this script or rootfs-lib.sh
# changes (their sha256 is the version stamp), so edit this file to change the fixture and
# every cache follows. Beside the tarball the same tree is kept unpacked, as the hosts'
# read-only overlay lowerdir (see rootfs-lib.sh).
set -euo pipefail

# shellcheck source=rootfs-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/rootfs-lib.sh"
# Keep in sync with PLANTED_SECRET and FIXTURE_MARKERS in host.ts (host.ts checks on start).
SECRET=s3cr3t-Planted-7f2c9a
SITE_MARKER=hoist-fixture-site-7d41
APP_MARKER=hoist-fixture-billing-app-3e9b

rootfs_begin bookworm-legacy

PG_CTL=/usr/lib/postgresql/15/bin/pg_ctl
PG_DATA=/var/lib/postgresql/15/main
PG_CONF=/etc/postgresql/15/main/postgresql.conf

cleanup() {
  # Stop a postgres left running by a failed build, or the mounts below stay busy.
  if [[ -f $ROOT$PG_DATA/postmaster.pid ]]; then
    chroot --userspec=postgres:postgres "$ROOT" "$PG_CTL" -D "$PG_DATA" -m immediate -w stop || true
  fi
  rootfs_cleanup
}
trap cleanup EXIT

rootfs_bootstrap
# python3-apt: what Ansible's package_facts (the benchmark peer) needs on a Debian host, as on most real ones.
apt_install openssh-server nginx redis-server postgresql cron python3 python3-apt sudo procps iproute2
# The savings model must cope with a host that keeps no sysstat history.
# (dpkg-query -W also lists packages merely known to dpkg, so check the status itself.)
# shellcheck disable=SC2016 # dpkg's own format, not a shell expansion
if in_root dpkg-query -W -f '${Status}' sysstat 2>/dev/null | grep -q ' installed$'; then
  echo "build-rootfs: sysstat got installed" >&2
  exit 1
fi
in_root apt-get clean
phase 'packages'

# --- identity, users, SSH access --------------------------------------------------------
rootfs_identity legacy
in_root useradd --system --user-group --home-dir /opt/billing --shell /usr/sbin/nologin billing
rootfs_ssh_access

put 0440 root:root /etc/sudoers.d/hoist <<'EOF'
# Hoist scans read-only and needs no sudo. For --sudo scenarios a test enables
# hoist-nopasswd.disabled (sudo skips files whose name contains a dot).
# hoist ALL=(ALL) NOPASSWD: ALL
EOF
put 0440 root:root /etc/sudoers.d/hoist-nopasswd.disabled <<'EOF'
hoist ALL=(ALL) NOPASSWD: ALL
EOF
in_root visudo -c -q

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

rootfs_finish
