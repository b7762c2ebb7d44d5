import type {FetchReport} from '../../collect/fetch/report.js'
import type {HostFacts} from '../../types/facts.js'
import {shellWord} from '../../shell.js'

export type PackageFamily = 'apt' | 'yum' | 'apk' | 'none'

const FAMILIES: Record<string, PackageFamily> = {
  debian: 'apt', ubuntu: 'apt', rocky: 'yum', almalinux: 'yum', centos: 'yum', rhel: 'yum', ol: 'yum', fedora: 'yum', amzn: 'yum', alpine: 'apk',
}

export function packageFamily(osId: string): PackageFamily {
  return FAMILIES[osId] ?? 'none'
}

/**
 * The accounts the service needs in the image: its run-as user and the owners of the files copied
 * for it, as on the host. Packages create their own system users while installing, so each command
 * creates an account only when it is missing, with the host's numeric id when that id is free.
 */
export function accountCommands(family: PackageFamily, runAs: string, fetched: FetchReport | undefined, facts: HostFacts): string[] {
  const users = new Set<string>()
  const groups = new Set<string>()
  const byUid = new Map(facts.users.map((u) => [u.uid, u]))
  const byGid = new Map(facts.groups.map((g) => [g.gid, g]))
  if (runAs !== 'root') users.add(runAs)
  for (const entry of [...(fetched?.files ?? []), ...(fetched?.dirs ?? [])]) {
    const user = byUid.get(entry.uid)
    const group = byGid.get(entry.gid)
    if (user && user.uid !== 0) users.add(user.name)
    if (group && group.gid !== 0) groups.add(group.name)
  }
  const commands: string[] = []
  const userList = [...users].map((name) => facts.users.find((u) => u.name === name) ?? {name, uid: undefined, gid: undefined, home: '/nonexistent', shell: ''})
  for (const u of userList) {
    const primary = u.gid === undefined ? undefined : byGid.get(u.gid)
    if (primary) groups.add(primary.name)
  }
  for (const name of [...groups].sort()) {
    const gid = facts.groups.find((g) => g.name === name)?.gid
    commands.push(family === 'apk'
      ? `{ getent group ${name} >/dev/null || addgroup -S${gid === undefined ? '' : ` $(getent group ${gid} >/dev/null || echo -g ${gid})`} ${name}; }`
      : `{ getent group ${name} >/dev/null || groupadd --system${gid === undefined ? '' : ` $(getent group ${gid} >/dev/null || echo --gid ${gid})`} ${name}; }`)
  }
  for (const u of userList.sort((a, b) => a.name.localeCompare(b.name))) {
    const group = (u.gid === undefined ? undefined : byGid.get(u.gid)?.name) ?? u.name
    const uid = u.uid === undefined ? '' : ` $(getent passwd ${u.uid} >/dev/null || echo ${family === 'apk' ? '-u' : '--uid'} ${u.uid})`
    if (u.gid === undefined && !groups.has(group)) {
      commands.push(family === 'apk' ? `{ getent group ${group} >/dev/null || addgroup -S ${group}; }` : `{ getent group ${group} >/dev/null || groupadd --system ${group}; }`)
    }
    commands.push(family === 'apk'
      ? `{ id -u ${u.name} >/dev/null 2>&1 || adduser -S -D -H -G ${group}${uid} -h ${shellWord(u.home)} ${u.name}; }`
      : `{ id -u ${u.name} >/dev/null 2>&1 || useradd --system --no-create-home --gid ${group}${uid} --home-dir ${shellWord(u.home || '/nonexistent')} --shell /usr/sbin/nologin ${u.name}; }`)
  }
  return commands
}
