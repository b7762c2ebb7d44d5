#!/bin/sh
# PID 1 of a Hoist fixture host (installed as /sbin/hoist-init by host.ts). Does what a
# Debian boot would leave behind: kernel filesystems mounted, the hostname set, each service
# started the way its sysvinit script starts it, as its usual user. Then it marks readiness
# (/run/hoist-ready) once every port listens, and on TERM stops the services and exits.
# The parts every fixture host shares are in init-lib.sh.
# Usage: hoist-init NAME   (or HOIST_HOSTNAME=NAME)
# shellcheck source=init-lib.sh
. /usr/lib/hoist/init-lib.sh
NAME=${1:-${HOIST_HOSTNAME:-legacy}}
PORTS='22 80 5432 6379 8080'
PG_DATA=/var/lib/postgresql/15/main

signal_services() {
  signal_pidfile TERM /run/billing.pid
  signal_pidfile TERM /run/crond.pid
  # SIGINT is postgres' fast shutdown (pg_ctl -m fast): open sessions do not hold it up.
  signal_pidfile INT "$PG_DATA/postmaster.pid"
  signal_pidfile TERM /run/redis/redis-server.pid
  signal_pidfile QUIT /run/nginx.pid
  signal_pidfile TERM /run/sshd.pid
}
boot_basics

# What systemd-tmpfiles would create for these services on a booted Debian.
install -d -m 2775 -o redis -g redis /run/redis
install -d -m 2775 -o postgres -g postgres /run/postgresql

start_sshd
/usr/sbin/nginx || log 'nginx failed'
start-stop-daemon --start --quiet --chuid redis:redis --umask 007 \
  --pidfile /run/redis/redis-server.pid --exec /usr/bin/redis-server -- /etc/redis/redis.conf ||
  log 'redis failed'
start-stop-daemon --start --quiet --background --chuid postgres:postgres \
  --output /var/log/postgresql/postgresql-15-main.log \
  --exec /usr/lib/postgresql/15/bin/postgres -- \
  -D "$PG_DATA" -c config_file=/etc/postgresql/15/main/postgresql.conf || log 'postgres failed'
/usr/sbin/cron || log 'cron failed'
# The billing app gets the environment its systemd unit would give it (EnvironmentFile).
(
  set -a
  # shellcheck source=/dev/null
  . /etc/billing/billing.env
  set +a
  export HOME=/opt/billing USER=billing LOGNAME=billing
  start-stop-daemon --start --quiet --background --make-pidfile --pidfile /run/billing.pid \
    --chuid billing:billing --chdir /opt/billing --output /var/log/billing/app.log \
    --exec /usr/bin/python3 -- /opt/billing/app.py
) || log 'billing app failed'

# Ready once every port listens at the same time.
check_ports() {
  listening=$(ss -Hltn | awk '{print $4}')
  missing=
  for p in $PORTS; do
    echo "$listening" | grep -q ":$p\$" || missing="$missing $p"
  done
}
wait_for_ports 20
serve
