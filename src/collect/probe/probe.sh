#!/bin/sh
# Hoist probe: a read-only inventory of a Linux host, written for POSIX sh (dash, bash, busybox ash).
#
# It changes nothing on the host: it creates no file (not even in /tmp; no here-documents), writes
# only to its own standard output, and runs no command that takes a lock or needs a password.
# Every section is framed by a marker carrying a per-run nonce so that host content cannot fake
# a section, is capped in bytes on the host, and reads its standard input from /dev/null.
# Secret-looking values are redacted here, on the host, before they are printed.
#
# Parameters (replaced by Hoist before sending; shown here with their defaults):
M='@@HOIST-__NONCE__'
HOIST_PROBE_SHA='__PROBE_SHA__'
HOIST_SAMPLES='__SAMPLES__'
HOIST_INTERVAL='__INTERVAL__'
HOIST_CAP='__CAP__'
HOIST_TIMEOUT='__TIMEOUT__'
HOIST_DEADLINE='__DEADLINE__'
HOIST_SIZE_BUDGET='__SIZE_BUDGET__'

LC_ALL=C
LANG=C
export LC_ALL LANG
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH
umask 077

# Redaction, on the host. Mode "records": lines "PID/file:" + elements joined by \001, as made by
# `grep -a -H '' /proc/*/cmdline | tr '\000' '\001'`; a line with the same prefix as the one before
# is the rest of a value that held a newline, so it is joined back (as \002) before redacting.
# Mode "lines": text files (units, env files, crontabs), one line at a time.
# Keep in step with src/collect/redact.ts (a test runs both over the same cases). A / inside a
# bracket is written \057: BusyBox awk reads [\/] as a backslash and a slash.
# shellcheck disable=SC2016 # an awk program: its $ are awk's
HOIST_REDACT_AWK='
function secretname(n) {
  n = tolower(n); sub(/^-+/, "", n)
  if (n == "pwd" || n == "oldpwd") return 0
  if (n ~ /(size|length|len|bits|file|path|dir|type|algorithm|store)$/) return 0
  return n ~ /pass|secret|token|key|credential|private|salt|pwd/
}
function shapes(s,   out, m, c, st, len, e, q) {
  out = ""
  while (match(s, /["\047][A-Za-z0-9_.-]+["\047][ \t]*(:|=>)[ \t]*("[^"]*"|\047[^\047]*\047)/)) {
    st = RSTART; len = RLENGTH; m = substr(s, st, len); c = match(substr(m, 2), /["\047]/)
    if (secretname(substr(m, 2, c - 1))) {
      match(substr(m, c + 2), /(:|=>)/); e = c + RSTART + RLENGTH; q = substr(m, len, 1)
      m = substr(m, 1, e) " " q "<redacted>" q
    }
    out = out substr(s, 1, st - 1) m; s = substr(s, st + len)
  }
  s = out s; out = ""
  while (match(s, /:\/\/[^:\057@ \t"]*:[^@\057 \t"]+@/)) {
    m = substr(s, RSTART, RLENGTH); c = index(substr(m, 4), ":") + 3
    out = out substr(s, 1, RSTART - 1) substr(m, 1, c) "<redacted>@"; s = substr(s, RSTART + RLENGTH)
  }
  s = out s
  gsub(/AKIA[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]/, "<redacted>", s)
  gsub(/gh[pousr]_[A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9]+/, "<redacted>", s)
  gsub(/xox[abprs]-[A-Za-z0-9-][A-Za-z0-9-][A-Za-z0-9-][A-Za-z0-9-][A-Za-z0-9-][A-Za-z0-9-][A-Za-z0-9-]+/, "<redacted>", s)
  gsub(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/, "<redacted>", s)
  return s
}
function element(e, prev,   eq, name) {
  if (e ~ /PRIVATE KEY/) {
    eq = index(e, "=")
    return eq > 1 ? substr(e, 1, eq) "<redacted>" : "<redacted>"
  }
  eq = index(e, "=")
  if (eq > 1) {
    name = substr(e, 1, eq - 1)
    if (name ~ /^-*[A-Za-z0-9_.-]+$/ && secretname(name)) return name "=<redacted>"
  }
  if (prev ~ /^--?[A-Za-z0-9_.-]+$/ && secretname(prev) && e != "" && e !~ /^[\057.-]/) return "<redacted>"
  # The rest as text: `sh -c "x --password=y"` and JAVA_OPTS=-Dkey.password=y hide assignments
  return textline(e)
}
function record(line,   c, n, i, el, out, prev) {
  c = index(line, ":"); out = substr(line, 1, c)
  n = split(substr(line, c + 1), el, "\001"); prev = ""
  for (i = 1; i <= n; i++) { out = out (i > 1 ? "\001" : "") element(el[i], prev); prev = el[i] }
  return out
}
function quoted(r,   q, e) {
  q = substr(r, 1, 1); e = index(substr(r, 2), q)
  return e ? e + 1 : length(r)
}
# NAME=value, NAME: value, NAME = "value": a secret name loses its value. The value runs to the
# closing quote, to the end of the line when the name starts it, or else to the next blank.
function textline(s,   out, pre, sep, rest, name, v, bq, start, c) {
  if (s ~ /PRIVATE KEY/) return "<redacted>"
  # `requirepass value`: a directive starting the line, then its value (not =, :, a path, a flag,
  # a boolean or a number). Narrower names than secretname, ending with the word: plain directives
  # contain those words (notify-keyspace-events, ServerTokens, SSLPassPhraseDialog).
  if (match(s, /^[ \t]*[A-Za-z][A-Za-z0-9_.-]*[ \t]+/)) {
    pre = substr(s, 1, RLENGTH); v = substr(s, RLENGTH + 1); name = pre; gsub(/[ \t]/, "", name)
    name = tolower(name)
    if (v != "" && v !~ /^[=:\057.-]/ && tolower(v) !~ /^(yes|no|on|off|true|false|[0-9]+[a-z]?|""|\047\047)[ \t]*$/ &&
      name !~ /(size|length|len|bits|file|path|dir|type|algorithm|store)$/ && name ~ /(pass|password|passwd|secret|token|auth|credentials?)$/) return pre "<redacted>"
  }
  out = ""
  while (match(s, /[A-Za-z0-9_.-]+[ \t]*[=:][ \t]*/)) {
    pre = substr(s, 1, RSTART - 1); sep = substr(s, RSTART, RLENGTH); rest = substr(s, RSTART + RLENGTH)
    name = sep; sub(/[ \t]*[=:][ \t]*$/, "", name)
    start = (out == "" && pre ~ /^[ \t]*(export[ \t]+)?$/)
    out = out pre sep; s = rest
    if (!secretname(name) || rest == "" || rest ~ /^\/\//) continue
    bq = substr(pre, length(pre), 1)
    if (rest ~ /^["\047]/) v = quoted(rest)
    else if (bq == "\"" || bq == "\047") { v = index(rest, bq) - 1; if (v < 0) v = length(rest) }
    else if (start) v = length(rest)
    else { v = match(rest, /[ \t"]/) ? RSTART - 1 : length(rest) }
    out = out "<redacted>"; s = substr(rest, v + 1)
  }
  s = out s; out = ""
  while (match(s, /--?[A-Za-z0-9_.-]+[ \t]+("[^"]*"?|\047[^\047]*\047?|[^ \t\057.\047"-][^ \t\047"]*)/)) {
    m = substr(s, RSTART, RLENGTH); split(m, parts, /[ \t]+/)
    # A dash inside a word (notify-keyspace-events) starts no flag: keep the word, go on after it.
    c = RSTART > 1 ? substr(s, RSTART - 1, 1) : substr(out, length(out), 1)
    if (c ~ /[A-Za-z0-9_.]/) { out = out substr(s, 1, RSTART + length(parts[1]) - 1); s = substr(s, RSTART + length(parts[1])); continue }
    out = out substr(s, 1, RSTART - 1) (secretname(parts[1]) ? parts[1] " <redacted>" : m); s = substr(s, RSTART + RLENGTH)
  }
  return shapes(out s)
}
# A private key written over several lines: every line from BEGIN to END goes, not just those two.
function pem(s) {
  if (inpem) { if (s ~ /END[A-Z ]*PRIVATE KEY/) inpem = 0; return 1 }
  if (s ~ /BEGIN[A-Z ]*PRIVATE KEY/ && s !~ /END[A-Z ]*PRIVATE KEY/) inpem = 1
  return 0
}
mode == "lines" && m != "" && index($0, m) == 1 { inpem = 0; print; next }
mode == "lines" { print (pem($0) ? "<redacted>" : textline($0)); next }
mode == "prefixed" { c = index($0, ":"); print substr($0, 1, c) (pem(substr($0, c + 1)) ? "<redacted>" : textline(substr($0, c + 1))); next }
{
  c = index($0, ":"); p = substr($0, 1, c)
  if (p == cur && c > 0) { buf = buf "\002" substr($0, c + 1); next }
  if (cur != "") print record(buf)
  cur = p; buf = $0
}
END { if (mode == "records" && cur != "") print record(buf) }
'

has() { command -v "$1" >/dev/null 2>&1; }

HOIST_UID=$(id -u 2>/dev/null)

HAS_HEAD_C=
if head -c 1 </dev/null >/dev/null 2>&1; then HAS_HEAD_C=1; fi
HAS_TIMEOUT=
if has timeout && timeout 5 true >/dev/null 2>&1; then HAS_TIMEOUT=1; fi
HAS_GREP_A=
if printf 'a\000b\n' | grep -a -H '' >/dev/null 2>&1; then HAS_GREP_A=1; fi

# Bounded run of a command that may hang (network filesystems, locked databases).
bounded() {
  if [ -n "$HAS_TIMEOUT" ]; then timeout "$HOIST_TIMEOUT" "$@"; else "$@"; fi
}

cap() {
  if [ -n "$HAS_HEAD_C" ]; then head -c "$1"; else cat; fi
}

redact_records() { awk -v mode=records "$HOIST_REDACT_AWK"; }
redact_lines() { awk -v mode=lines -v m="$M " "$HOIST_REDACT_AWK"; }
redact_prefixed() { awk -v mode=prefixed "$HOIST_REDACT_AWK"; }

# Print the files that exist among the arguments, each behind a header line; name the unreadable.
# They are small configuration files: the shell reads them itself, as starting cat for each costs
# more (a process start is 1-2 ms; the section's cap still bounds a file that is not small).
show_files() {
  for f in "$@"; do
    [ -e "$f" ] || continue
    if [ ! -r "$f" ]; then printf '%s UNREADABLE %s\n' "$M" "$f"; continue; fi
    [ -f "$f" ] || continue
    printf '%s FILE %s\n' "$M" "$f"
    while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' "$l"; done <"$f" 2>/dev/null
    printf '\n'
  done
}

# The names in the existing directories among the arguments, like `ls`, without starting ls.
list_dirs() {
  for d in "$@"; do
    [ -d "$d" ] || continue
    for f in "$d"/*; do
      if [ -e "$f" ] || [ -h "$f" ]; then printf '%s\n' "${f##*/}"; fi
    done
  done
}

sec_meta() {
  # 2 (2026-11): socket tables as grep -H prints them; cgroup lines under STATUS. Parsers read both.
  printf 'probe_version=2\n'
  printf 'probe_sha256=%s\n' "$HOIST_PROBE_SHA"
  printf 'uid=%s\n' "$HOIST_UID"
  h=
  read -r h </proc/sys/kernel/hostname 2>/dev/null || h=$(hostname 2>/dev/null)
  printf 'hostname=%s\n' "$h"
  printf 'clk_tck=%s\n' "$(getconf CLK_TCK 2>/dev/null)"
  printf 'page_size=%s\n' "$(getconf PAGESIZE 2>/dev/null)"
  grep '^btime ' /proc/stat
  read -r up _ </proc/uptime && printf 'uptime=%s\n' "$up"
  printf 'tools='
  for t in ss ps systemctl dpkg-query rpm apk sadf timeout; do has "$t" && printf '%s ' "$t"; done
  printf '\n'
}

sec_os() {
  show_files /etc/os-release /usr/lib/os-release /etc/lsb-release /etc/redhat-release \
    /etc/alpine-release /etc/debian_version
  printf '%s UNAME\n' "$M"
  uname -srm
  printf '%s INIT\n' "$M"
  read -r c </proc/1/comm 2>/dev/null && printf '%s\n' "$c"
  [ -d /run/systemd/system ] && printf 'systemd-running\n'
  [ -d /run/openrc ] && printf 'openrc-running\n'
  printf '%s VIRT\n' "$M"
  if has systemd-detect-virt; then printf 'detect-virt=%s\n' "$(systemd-detect-virt 2>/dev/null)"; fi
  for f in sys_vendor product_name; do
    v=
    [ -r "/sys/class/dmi/id/$f" ] && read -r v <"/sys/class/dmi/id/$f" 2>/dev/null; [ -n "$v" ] && printf '%s=%s\n' "$f" "$v"
  done
  grep -q '^flags.* hypervisor' /proc/cpuinfo 2>/dev/null && printf 'cpu-hypervisor-flag\n'
  [ -f /.dockerenv ] && printf 'dockerenv\n'
  [ -f /run/.containerenv ] && printf 'containerenv\n'
  grep -q -e docker -e lxc -e kubepods /proc/1/cgroup 2>/dev/null && printf 'container-cgroup\n'
  true
}

sec_capacity() {
  grep -h -e '^processor' -e '^model name' -e '^MemTotal:' -e '^SwapTotal:' /proc/cpuinfo /proc/meminfo
}

# Process table straight from /proc: works without ps, on busybox, and in any locale.
sec_processes() {
  cd /proc || return 1
  printf '%s STAT\n' "$M"
  cat [0-9]*/stat 2>/dev/null
  # One grep for both: status lines start with a name, cgroup lines with a number.
  printf '%s STATUS\n' "$M"
  grep -H -e '^Uid:' -e '^Threads:' -e '^[0-9]' [0-9]*/status [0-9]*/cgroup 2>/dev/null
  printf '%s LINKS\n' "$M"
  ls -l [0-9]*/exe [0-9]*/cwd 2>/dev/null
  printf '%s CMDLINE\n' "$M"
  if [ -n "$HAS_GREP_A" ]; then
    grep -a -H '' [0-9]*/cmdline 2>/dev/null | tr '\000' '\001' | redact_records
  else
    for p in [0-9]*; do
      printf '%s/cmdline:' "$p"
      tr '\000\n' '\001 ' <"$p/cmdline" 2>/dev/null
      printf '\n'
    done | redact_records
  fi
}

sec_environ() {
  cd /proc || return 1
  if [ -n "$HAS_GREP_A" ]; then
    grep -a -H '' [0-9]*/environ 2>/dev/null | tr '\000' '\001' | redact_records
  else
    for p in [0-9]*; do
      [ -r "$p/environ" ] || continue
      printf '%s/environ:' "$p"
      tr '\000\n' '\001 ' <"$p/environ" 2>/dev/null
      printf '\n'
    done | redact_records
  fi
}

# Each line behind the name of its table (/proc/net/tcp:...): one process for the four.
sec_sockets() {
  grep -H '' /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null
}

# Open sockets and files per process: socket inodes give listeners their pid; files give data paths.
# `ls -l` reads every link under /proc in one process (readlink would fork once per fd); /proc's
# names are numeric, so parsing ls is safe here.
# shellcheck disable=SC2010,SC2012
sec_fds() {
  cd /proc || return 1
  ls -l [0-9]*/fd/ 2>/dev/null | sed -n -e '\# -> /dev/#d' -e '\# -> /proc/#d' -e '\# -> /sys/#d' \
    -e '\# -> /memfd:#d' -e '/^[0-9]/p' -e '/socket:/p' -e '\# -> /#p'
}

sec_packages() {
  if has dpkg-query; then
    printf '%s MANAGER dpkg\n' "$M"
    # shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
    bounded dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\t${Status}\n' 2>/dev/null
  fi
  if has rpm; then
    printf '%s MANAGER rpm\n' "$M"
    bounded rpm -qa --qf '%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\t%{ARCH}\tinstalled\n' 2>/dev/null
  fi
  if [ -r /lib/apk/db/installed ]; then
    printf '%s MANAGER apk\n' "$M"
    grep -e '^P:' -e '^V:' -e '^A:' /lib/apk/db/installed
  fi
}

# One grep and one awk for all unit directories (in precedence order): each process costs a fork.
sec_units() {
  set --
  for d in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
    [ -d "$d" ] && set -- "$@" "$d"/*.service "$d"/*.service.d/*.conf
  done
  if [ "$#" -gt 0 ]; then
    grep -H -e '^Description=' -e '^ExecStart=' -e '^User=' -e '^Group=' -e '^WorkingDirectory=' \
      -e '^EnvironmentFile=' -e '^Environment=' -e '^Type=' "$@" 2>/dev/null | redact_prefixed
  fi
  printf '%s ENVFILES\n' "$M"
  # grep, not awk, reads the unit files: it passes over a name that matched no file.
  grep -h '^EnvironmentFile=' /etc/systemd/system/*.service /etc/systemd/system/*.service.d/*.conf \
    /lib/systemd/system/*.service /lib/systemd/system/*.service.d/*.conf \
    /usr/lib/systemd/system/*.service /usr/lib/systemd/system/*.service.d/*.conf 2>/dev/null |
    awk '{ f = substr($0, 17); sub(/^-/, "", f); if (!seen[f]++) print f }' | while read -r f; do
    case "$f" in /*) ;; *) continue ;; esac
    if [ ! -f "$f" ] || [ ! -r "$f" ]; then continue; fi
    printf '%s FILE %s\n' "$M" "$f"
    cap 65536 <"$f"
    printf '\n'
  done | redact_lines
  if [ -d /run/systemd/system ] && has systemctl; then
    printf '%s ACTIVE\n' "$M"
    bounded systemctl list-units --type=service --all --no-legend --no-pager --plain 2>/dev/null
    printf '%s ENABLED\n' "$M"
    bounded systemctl list-unit-files --type=service --no-legend --no-pager 2>/dev/null
  fi
}

sec_initscripts() {
  [ -d /etc/init.d ] || return 0
  printf '%s SCRIPTS\n' "$M"
  list_dirs /etc/init.d
  printf '%s RUNLEVELS\n' "$M"
  list_dirs /etc/rc2.d /etc/rc3.d /etc/rc5.d /etc/runlevels/default
  printf '%s VARS\n' "$M"
  grep -H -e '^[[:space:]]*DAEMON=' -e '^[[:space:]]*DAEMON_ARGS=' -e '^[[:space:]]*DAEMON_OPTS=' \
    -e '^[[:space:]]*USER=' -e '^[[:space:]]*DESC=' -e '^[[:space:]]*command=' \
    -e '^[[:space:]]*command_args=' -e '^[[:space:]]*command_user=' -e '^[[:space:]]*directory=' \
    /etc/init.d/* 2>/dev/null | redact_prefixed
}

sec_cron() {
  show_files /etc/crontab /etc/anacrontab /etc/cron.d/* /var/spool/cron/crontabs/* \
    /var/spool/cron/* /etc/crontabs/* | redact_lines
  printf '%s PERIODIC\n' "$M"
  for f in /etc/cron.daily/* /etc/cron.hourly/* /etc/cron.monthly/* /etc/cron.weekly/* /etc/periodic/*/*; do
    if [ -e "$f" ] || [ -h "$f" ]; then printf '%s\n' "$f"; fi
  done
  printf '%s OWN\n' "$M"
  [ "$HOIST_UID" = 0 ] || { has crontab && crontab -l 2>/dev/null | redact_lines; }
  printf '%s TIMERS\n' "$M"
  grep -H -e '^OnCalendar=' -e '^OnBootSec=' -e '^OnUnitActiveSec=' -e '^Unit=' \
    /etc/systemd/system/*.timer /lib/systemd/system/*.timer /usr/lib/systemd/system/*.timer 2>/dev/null
  printf '%s TIMERS-ENABLED\n' "$M"
  list_dirs /etc/systemd/system/timers.target.wants
}

sec_mounts() {
  cat /proc/mounts
  # df is bounded: a dead network filesystem would otherwise hang it
  printf '%s DF\n' "$M"
  bounded df -kP 2>/dev/null
}

# Sizes of directories where applications keep state, within HOIST_SIZE_BUDGET seconds in all.
# Every candidate is listed first with "-" for its size; du's lines follow and give the sizes it
# found in time. Directories processes hold open (a database's datadir) are sized first, then
# working directories and the usual data roots with the time left. du is killed at the limit and
# its buffered lines are lost, so each group is one du (-l counts a directory nested in another
# candidate in full; -x stays on one filesystem): what a group did not finish stays "-".
# shellcheck disable=SC2012 # see sec_fds
sec_datapaths() {
  cd /proc || return 1
  {
    # Group 1: an open directory (a database's datadir) is a candidate itself; an open file, its
    # directory. Group 2: working directories, then the usual data roots.
    ls -l [0-9]*/fd/ [0-9]*/cwd 2>/dev/null | awk '
      { i = index($0, " -> /"); if (i == 0) next; t = substr($0, i + 4); if (t ~ / /) next }
      / [0-9]+\/cwd -> / { cwd[++n] = t; next }
      t !~ /^\/(usr\/|lib|bin\/|sbin\/|etc\/)/ && !seen[t]++ { print "1 " t }
      END { for (i = 1; i <= n; i++) print "2 " cwd[i] }' |
      while read -r group f; do
        if [ "$group" = 2 ] || [ -d "$f" ]; then printf '%s %s\n' "$group" "$f"; else printf '1 %s\n' "${f%/*}"; fi
      done
    for d in /var/lib/* /srv/* /var/www /var/www/* /opt/* /data /var/spool/*; do
      if [ -d "$d" ]; then printf '2 %s\n' "$d"; fi
    done
  } | awk '$0 !~ / \/$| \/proc| \/sys| \/dev| \/run| \/tmp/ && !seen[substr($0, 3)]++ && n++ < 200' | {
    first='' rest=''
    while read -r group d; do
      [ -d "$d" ] || continue
      printf '%s\t%s\n' - "$d"
      if [ "$group" = 1 ]; then first="$first$d
"; else rest="$rest$d
"; fi
    done
    [ -n "$first$rest" ] || return 0
    [ -n "$HAS_TIMEOUT" ] || { printf 'no-timeout-command\n'; return 0; }
    read -r t0 _ </proc/uptime || t0=0.00
    size_group "$first" "$HOIST_SIZE_BUDGET" || return 0
    read -r t _ </proc/uptime || t=$t0
    # What is left of the budget, in whole seconds rounded up (timeout takes whole seconds on BusyBox).
    left=$(( HOIST_SIZE_BUDGET * 100 - (${t%.*}${t#*.} - ${t0%.*}${t0#*.}) ))
    [ "$left" -gt 0 ] || left=0
    size_group "$rest" "$(( (left + 99) / 100 ))" || :
  }
}

# du over newline-separated directories ($1) for at most $2 seconds; DEADLINE (and 1) when cut short.
size_group() {
  [ -n "$1" ] || return 0
  [ "$2" -gt 0 ] || { printf '%s DEADLINE\n' "$M"; return 1; }
  seconds=$2 old_ifs=$IFS
  IFS='
'
  set -f
  # shellcheck disable=SC2086 # split on newlines only, without globbing, on purpose
  set -- $1
  set +f
  IFS=$old_ifs
  sizes=$(timeout "$seconds" du -skxl "$@" 2>/dev/null)
  [ "$?" -ne 124 ] || { printf '%s DEADLINE\n' "$M"; return 1; }
  [ -z "$sizes" ] || printf '%s\n' "$sizes"
}

sec_users() {
  cut -d: -f1,3,4,6,7 /etc/passwd
  printf '%s GROUPS\n' "$M"
  cut -d: -f1,3,4 /etc/group
}

sec_sysctl() {
  show_files /etc/sysctl.conf /etc/sysctl.d/*.conf
}

sec_network() {
  if has ip; then
    ip -o addr show 2>/dev/null
    printf '%s ROUTE\n' "$M"
    ip route show default 2>/dev/null
  fi
  printf '%s RESOLV\n' "$M"
  grep '^nameserver' /etc/resolv.conf 2>/dev/null
}

sec_modules() {
  cut -d' ' -f1 /proc/modules 2>/dev/null
}

# Utilisation history kept by sysstat, when present: its daily files (a month at most).
sec_sysstat() {
  has sadf || return 0
  for d in /var/log/sa /var/log/sysstat; do
    [ -d "$d" ] || continue
    for f in "$d"/sa[0-9]*; do
      [ -f "$f" ] || continue
      printf '%s FILE %s\n' "$M" "$f"
      bounded sadf -d "$f" -- -u -r 2>/dev/null
    done
  done
}

sec_utilisation() {
  n=0
  while :; do
    read -r up _ </proc/uptime
    printf '%s SAMPLE %s\n' "$M" "$up"
    grep -h -e '^cpu ' -e '^MemTotal:' -e '^MemAvailable:' -e '^MemFree:' -e '^Buffers:' -e '^Cached:' /proc/stat /proc/meminfo
    read -r l </proc/loadavg && printf '%s\n' "$l"
    cat /proc/[0-9]*/stat 2>/dev/null
    n=$((n + 1))
    [ "$n" -ge "$HOIST_SAMPLES" ] && break
    sleep "$HOIST_INTERVAL"
  done
}

run_section() {
  read -r t _ </proc/uptime
  printf '%s BEGIN %s %s\n' "$M" "$1" "$t"
  # The group is a subshell already (a pipeline element): a section's cd or variables stay in it.
  { sec_"$1" </dev/null 2>/dev/null; printf '\n%s RC %s\n' "$M" "$?"; } | cap "$2"
  read -r t _ </proc/uptime
  # The newline ends a line the cap may have cut in half, so END always starts a line.
  printf '\n%s END %s %s\n' "$M" "$1" "$t"
}

# The probe ends itself at its deadline, whatever happens to the connection: sshd may not pass
# on a kill when Hoist gives up (OpenSSH refuses to signal root sessions), and a command stuck on
# a dead mount must not outlive the scan. The watchdog kills the probe's own process group.
start_watchdog() {
  [ "$HOIST_DEADLINE" -gt 0 ] 2>/dev/null || return 0
  (
    trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    sleep "$HOIST_DEADLINE" &
    sp=$!
    wait "$sp" && kill -KILL 0
  ) </dev/null >/dev/null 2>&1 &
  watchdog=$!
}

hoist_main() {
  watchdog=
  start_watchdog
  run_section meta 65536
  run_section os 262144
  run_section capacity 262144
  run_section processes "$HOIST_CAP"
  run_section environ "$HOIST_CAP"
  run_section sockets "$HOIST_CAP"
  run_section fds "$HOIST_CAP"
  run_section packages "$HOIST_CAP"
  run_section units "$HOIST_CAP"
  run_section initscripts 1048576
  run_section cron 1048576
  run_section users 1048576
  run_section sysctl 262144
  run_section network 262144
  run_section modules 262144
  # Last: the sections that can wait on slow disks or take the sampling time.
  run_section mounts 1048576
  run_section datapaths 262144
  run_section sysstat "$HOIST_CAP"
  run_section utilisation "$HOIST_CAP"
  printf '%s DONE\n' "$M"
  if [ -n "$watchdog" ]; then kill "$watchdog" 2>/dev/null; fi
}

[ "${HOIST_PROBE_LIBRARY:-}" = 1 ] || hoist_main
