/**
 * LinuxKit starts each service once and never restarts it (linuxkit/linuxkit#4121): a crashed
 * database stays down until the next boot. Each application service therefore runs under this
 * supervisor, as its command, inside its own container: no extra privileged service and no access
 * to containerd. It restarts the program when it exits, and when the service has a health check,
 * also when that check fails `retries` times in a row (a hung program counts as crashed).
 * The script is written once into the substrate (files:) and bound read-only into each service.
 */
import type {GeneratedService} from '../../types/artifacts.js'
import {shellLine} from '../../shell.js'
import {healthArgv} from '../runtime.js'
import type {LinuxkitFile} from './types.js'

export const SUPERVISOR = 'hoist-supervise'
export const SUPERVISOR_FILE = 'etc/hoist/supervise.sh'
/** Where each service sees it: beside the entrypoint `hoist generate` puts in the image. */
export const SUPERVISOR_PATH = '/usr/local/lib/hoist/supervise.sh'
export const SUPERVISOR_BIND = `/${SUPERVISOR_FILE}:${SUPERVISOR_PATH}:ro`

// POSIX sh (dash, busybox ash, bash). $1 is the service name, then the health check (a shell
// command, empty for none), its interval, timeout, retries and grace period, then the program.
// Backoff between restarts doubles from 1 s to 60 s and starts over after a minute of uptime.
// SIGTERM (LinuxKit's shutdown) is passed to the program, and the loop ends with it.
export const SUPERVISE_SCRIPT = `#!/bin/sh
# ${SUPERVISOR}: LinuxKit does not restart a service that exits (linuxkit/linuxkit#4121); this does.
name=$1 check=$2 interval=$3 timeout=$4 retries=$5 grace=$6
shift 6
pid=
trap 'trap - TERM INT; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 143' TERM INT
healthy() {
  if command -v timeout >/dev/null 2>&1; then timeout "$timeout" sh -c "$check"; else sh -c "$check"; fi
}
delay=1
while :; do
  started=$(date +%s)
  "$@" &
  pid=$!
  watch=
  if [ -n "$check" ]; then
    (
      sleep "$grace"
      fails=0
      while kill -0 "$pid" 2>/dev/null; do
        if healthy >/dev/null 2>&1; then fails=0; else fails=$((fails + 1)); fi
        if [ "$fails" -ge "$retries" ]; then
          echo "${SUPERVISOR}: $name failed its health check $fails times: restarting it" >&2
          kill -TERM "$pid"; sleep 10; kill -KILL "$pid" 2>/dev/null; exit 0
        fi
        sleep "$interval"
      done
    ) &
    watch=$!
  fi
  wait "$pid"
  status=$?
  [ -n "$watch" ] && kill "$watch" 2>/dev/null
  [ $(($(date +%s) - started)) -ge 60 ] && delay=1
  echo "${SUPERVISOR}: $name exited with status $status: starting it again in \${delay}s" >&2
  # In the background: a trapped SIGTERM interrupts \`wait\` at once, a foreground sleep only at its end.
  sleep "$delay" & wait $!
  [ "$delay" -lt 60 ] && delay=$((delay * 2))
done
`

export function supervisorFile(): LinuxkitFile {
  return {path: SUPERVISOR_FILE, contents: SUPERVISE_SCRIPT, mode: '0755'}
}

/** The service's command, run under the supervisor with its health check. */
export function supervisedCommand(service: GeneratedService): string[] {
  const argv = healthArgv(service)
  const check = service.healthcheck
  const health = argv && check
    ? [shellLine(argv), String(check.intervalSeconds), String(check.timeoutSeconds), String(check.retries), String(check.startPeriodSeconds)]
    : ['', '0', '0', '0', '0']
  return ['/bin/sh', SUPERVISOR_PATH, service.name, ...health, ...service.command]
}

