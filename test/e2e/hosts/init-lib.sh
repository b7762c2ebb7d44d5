# shellcheck shell=sh
# What the fixture hosts' PID 1 scripts share (init.sh, stacks/init-stacks.sh). host.ts
# installs it in every host as /usr/lib/hoist/init-lib.sh, and the image's init script as
# /usr/sbin/hoist-init, which sources it first thing. POSIX sh: dash runs it, in the chroot.
# The init script sets NAME (the hostname) and defines signal_services, then:
#   boot_basics    # TERM handling, kernel filesystems, hostname, loopback, /run basics
#   start_sshd     # first, then the rest of its services
#   wait_for_ports EVERY   # until its check_ports leaves $missing empty
#   serve          # marks readiness, then reaps orphans until TERM
set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
T0=$(date +%s%N)

log() { echo "hoist-init[$NAME]: $*"; }
fail() { log "FATAL: $*"; exit 1; }
ms() { echo $((($(date +%s%N) - T0) / 1000000)); }

signal_pidfile() { # SIGNAL PIDFILE: signal the daemon, remember its pid to wait for it
  [ -r "$2" ] || return 0
  pid=$(head -n 1 "$2")
  [ -n "$pid" ] && kill "-$1" "$pid" 2>/dev/null && STOPPING="$STOPPING $pid"
}
# On TERM: signal_services (the init script's: signal_pidfile per daemon) asks each to stop;
# what has not stopped after 1.5 s is killed.
stop() {
  log 'stopping'
  STOPPING=
  signal_services
  i=0
  alive=
  while [ $i -lt 15 ]; do
    alive=
    for pid in $STOPPING; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
    i=$((i + 1))
  done
  [ -n "$alive" ] && log 'services still running after 1.5 s, killing them'
  # Whatever is left (ssh sessions, cron jobs, epmd) goes with us; from PID 1 -1 means "all".
  kill -KILL -1 2>/dev/null
  log 'stopped'
  exit 0
}

# What a Debian boot leaves behind before its services start.
boot_basics() {
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

  # What systemd-tmpfiles would create on a booted Debian; the init script adds its
  # services' own. Not systemd-tmpfiles itself: its static-nodes rules would chmod the
  # machine's /dev.
  install -d -m 0755 /run/sshd /run/lock
  install -m 0664 -g utmp /dev/null /run/utmp
}

# sshd needs its absolute path (it re-executes itself) and an absolute config path, or
# clients get "Connection reset by peer". No syslog here, so it logs to a file.
start_sshd() {
  /usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/auth.log || log 'sshd failed'
}

# wait_for_ports EVERY: calls check_ports (the init script's: it sets $missing to the ports
# not ready yet, with a leading space each) every 0.1 s until none is missing. Keeps waiting
# (host.ts owns the timeout) but says what is missing every EVERY tries, for its error message.
wait_for_ports() {
  i=0
  while :; do
    check_ports
    [ -z "$missing" ] && break
    i=$((i + 1))
    [ $((i % $1)) -eq 0 ] && log "still waiting for ports:$missing"
    sleep 0.1
  done
}

# Marks readiness (host.ts waits for /run/hoist-ready), then stays PID 1 until TERM.
serve() {
  touch /run/hoist-ready
  log "ready in $(ms) ms"
  # PID 1 also reaps orphans: wait(1) in dash collects any exited child, not just sleep.
  while :; do
    sleep 1 &
    wait $!
  done
}
