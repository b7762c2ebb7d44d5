#!/bin/sh
# PID 1 of a Hoist fixture host (installed as /sbin/hoist-init by host.ts). Does what a
# Debian boot would leave behind: kernel filesystems mounted, the hostname set, each service
# started the way its sysvinit script starts it, as its usual user. Then it marks readiness
# (/run/hoist-ready) once every port listens, and on TERM stops the services and exits.
# Usage: hoist-init NAME   (or HOIST_HOSTNAME=NAME)
set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
NAME=${1:-${HOIST_HOSTNAME:-legacy}}
PORTS='22 80 5432 6379 8080'
PG_DATA=/var/lib/postgresql/15/main
T0=$(date +%s%N)

log() { echo "hoist-init[$NAME]: $*"; }
fail() { log "FATAL: $*"; exit 1; }

signal_pidfile() { # SIGNAL PIDFILE: signal the daemon, remember its pid to wait for it
  [ -r "$2" ] || return 0
  pid=$(head -n 1 "$2")
  kill "-$1" "$pid" 2>/dev/null && STOPPING="$STOPPING $pid"
}
stop() {
  log 'stopping'
  STOPPING=
  signal_pidfile TERM /run/billing.pid
  signal_pidfile TERM /run/crond.pid
  # SIGINT is postgres' fast shutdown (pg_ctl -m fast): open sessions do not hold it up.
  signal_pidfile INT "$PG_DATA/postmaster.pid"
  signal_pidfile TERM /run/redis/redis-server.pid
  signal_pidfile QUIT /run/nginx.pid
  signal_pidfile TERM /run/sshd.pid
  i=0
  while [ $i -lt 15 ]; do
    alive=
    for pid in $STOPPING; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
    i=$((i + 1))
  done
  [ -n "$alive" ] && log 'services still running after 1.5 s, killing them'
  # Whatever is left (ssh sessions, cron jobs) goes with us; from PID 1 -1 means "all".
  kill -KILL -1 2>/dev/null
  log 'stopped'
  exit 0
}
# Installed before anything starts: a TERM during boot must stop what did start (PID 1
# ignores signals it has no handler for).
trap stop TERM INT

mount -t proc proc /proc || fail 'mount /proc'
mount -t sysfs sysfs /sys || fail 'mount /sys'
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run || fail 'mount /run'
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp || fail 'mount /tmp'
# /dev is the machine's, bind-mounted: shm, pts and ptmx get private instances on top so
# nothing here writes into the machine's /dev (replacing /dev/ptmx by a symlink would).
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm || fail 'mount /dev/shm'
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts || fail 'mount devpts'
mount --bind /dev/pts/ptmx /dev/ptmx || fail 'bind /dev/ptmx'

echo "$NAME" >/proc/sys/kernel/hostname || fail 'set hostname'
ip link set lo up

# What systemd-tmpfiles would create on a booted Debian.
install -d -m 0755 /run/sshd /run/lock
install -d -m 2775 -o redis -g redis /run/redis
install -d -m 2775 -o postgres -g postgres /run/postgresql
install -m 0664 -g utmp /dev/null /run/utmp

# sshd needs its absolute path (it re-executes itself) and an absolute config path, or
# clients get "Connection reset by peer". No syslog here, so it logs to a file.
/usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/auth.log || log 'sshd failed'
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

missing_ports() {
  listening=$(ss -Hltn | awk '{print $4}')
  for p in $PORTS; do
    echo "$listening" | grep -q ":$p\$" || printf '%s ' "$p"
  done
}
i=0
while :; do
  missing=$(missing_ports)
  [ -z "$missing" ] && break
  i=$((i + 1))
  # Keep waiting (host.ts owns the timeout) but say what is missing, for its error message.
  [ $((i % 20)) -eq 0 ] && log "still waiting for ports: $missing"
  sleep 0.1
done
touch /run/hoist-ready
log "ready in $((($(date +%s%N) - T0) / 1000000)) ms"

# PID 1 also reaps orphans: wait(1) in dash collects any exited child, not just sleep.
while :; do
  sleep 1 &
  wait $!
done
