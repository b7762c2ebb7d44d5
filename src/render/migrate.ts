import type {Service} from '../types/plan.js'
import {shellWord} from '../shell.js'

type Strategy = 'pg_dumpall' | 'mysqldump' | 'mongodump' | 'copy'

const DUMPS: Record<string, Strategy> = {postgresql: 'pg_dumpall', mysql: 'mysqldump', mongodb: 'mongodump'}

/** How a service's data moves at cut-over: a consistent dump for databases, a copy for files. */
export function migrationStrategy(service: Service): Strategy | undefined {
  if (service.volumes.length === 0) return undefined
  return DUMPS[service.template ?? ''] ?? 'copy'
}

const HEADER = (service: Service, host: string, how: string) => `#!/bin/sh
# Data migration for ${service.name} (from ${host}), run by the consultant at cut-over:
#   ${how}
# Read-only on the source: it only reads (a dump, or tar to standard output); nothing is written there.
# Usage: ./migrate.sh SOURCE CONTAINER
#   SOURCE     the original host as ssh reaches it (user@host, or an ssh_config alias)
#   CONTAINER  the running container of this service (docker/podman name or id)
# Environment: ENGINE (docker or podman; default: whichever is installed), SSH (default: ssh),
#   SOURCE_SUDO (how to gain the rights to read on the source; default: sudo -n; empty for none).
set -eu
if [ $# -ne 2 ]; then sed -n '2,10p' "$0" >&2; exit 2; fi
SOURCE=$1
CONTAINER=$2
ENGINE=\${ENGINE:-$(command -v docker >/dev/null 2>&1 && echo docker || echo podman)}
SSH=\${SSH:-ssh}
SOURCE_SUDO=\${SOURCE_SUDO-sudo -n}
`

/** migrate.sh for one service, or undefined when it has no data to move. */
export function migrationScript(service: Service, host: string): string | undefined {
  const strategy = migrationStrategy(service)
  if (!strategy) return undefined
  const user = shellWord(service.user)
  const paths = service.volumes.map((v) => shellWord(v.path.replace(/^\/+/, ''))).join(' ')
  switch (strategy) {
    case 'pg_dumpall':
      return `${HEADER(service, host, 'a consistent dump of every database (pg_dumpall), restored with psql into the container')}
# "already exists" errors for roles the new cluster has (postgres) are expected and harmless.
$SSH "$SOURCE" "\${SOURCE_SUDO:+$SOURCE_SUDO -u ${user}} pg_dumpall --clean --if-exists" |
  "$ENGINE" exec -i -u ${user} "$CONTAINER" psql -q -X -d postgres >/dev/null
echo "migrated: every database of ${service.name} into $CONTAINER"
`
    case 'mysqldump':
      return `${HEADER(service, host, 'a consistent dump of every database (mysqldump --single-transaction), restored with mysql')}
$SSH "$SOURCE" "$SOURCE_SUDO mysqldump --all-databases --single-transaction --routines --events --triggers" |
  "$ENGINE" exec -i "$CONTAINER" mysql
echo "migrated: every database of ${service.name} into $CONTAINER"
`
    case 'mongodump':
      return `${HEADER(service, host, 'a consistent dump (mongodump --archive --oplog), restored with mongorestore')}
$SSH "$SOURCE" "$SOURCE_SUDO mongodump --archive --oplog --quiet" |
  "$ENGINE" exec -i "$CONTAINER" mongorestore --archive --oplogReplay --drop --quiet
echo "migrated: every database of ${service.name} into $CONTAINER"
`
    case 'copy':
      return `${HEADER(service, host, `a copy of ${service.volumes.map((v) => v.path).join(', ')} (tar, owners and modes kept), then a restart of the container`)}
# For a consistent copy, stop writers on the source first (the service itself, at cut-over).
$SSH "$SOURCE" "$SOURCE_SUDO tar -C / -cf - ${paths}" |
  "$ENGINE" exec -i -u 0 "$CONTAINER" tar -C / -xpf -
"$ENGINE" restart "$CONTAINER" >/dev/null
echo "migrated: ${service.volumes.map((v) => v.path).join(', ')} into $CONTAINER"
`
  }
}
