import type {InitSystem, OsFacts} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {note, parts, unquote} from './context.js'

export function parseOs(lines: string[], ctx: ParseContext): OsFacts {
  const files = new Map<string, string[]>()
  let uname = ''
  let init: string[] = []
  let virt: string[] = []
  for (const part of parts(lines, ctx)) {
    if (part.tag === 'FILE') files.set(part.arg, part.lines)
    else if (part.tag === 'UNAME') uname = part.lines.find((l) => l.trim()) ?? ''
    else if (part.tag === 'INIT') init = part.lines
    else if (part.tag === 'VIRT') virt = part.lines
  }
  const release = osRelease(files.get('/etc/os-release') ?? files.get('/usr/lib/os-release') ?? [])
  const os: OsFacts = {
    id: release.ID ?? '',
    idLike: (release.ID_LIKE ?? '').split(/\s+/).filter(Boolean),
    name: release.NAME ?? '',
    versionId: release.VERSION_ID ?? '',
    prettyName: release.PRETTY_NAME ?? '',
    codename: release.VERSION_CODENAME || undefined,
    kernel: uname.split(/\s+/)[1] ?? '',
    arch: uname.split(/\s+/)[2] ?? '',
    virtualization: virtualization(virt),
    init: initSystem(init),
  }
  if (!os.id) fallbackRelease(os, files)
  if (!os.id) note(ctx, 'no /etc/os-release or known release file: the distribution is unknown')
  if (!os.kernel) note(ctx, 'uname printed nothing usable', uname)
  return os
}

export function osRelease(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (m) out[m[1]!] = unquote(m[2]!)
  }
  return out
}

/** Hosts older than os-release (RHEL/CentOS 6, Debian 6) name their release in other files. */
function fallbackRelease(os: OsFacts, files: Map<string, string[]>): void {
  const redhat = files.get('/etc/redhat-release')?.[0]
  const debian = files.get('/etc/debian_version')?.[0]
  const alpine = files.get('/etc/alpine-release')?.[0]
  const lsb = osRelease(files.get('/etc/lsb-release') ?? [])
  if (redhat) {
    const m = /^(.*?) (?:Linux )?release ([\d.]+)/i.exec(redhat)
    const name = m?.[1] ?? redhat
    os.id = /centos/i.test(name) ? 'centos' : /red hat/i.test(name) ? 'rhel' : /fedora/i.test(name) ? 'fedora' : name.split(/\s+/)[0]!.toLowerCase()
    os.idLike = os.id === 'fedora' ? [] : ['rhel', 'fedora']
    os.name = name
    os.versionId = m?.[2] ?? ''
    os.prettyName = redhat.trim()
  } else if (lsb.DISTRIB_ID) {
    os.id = lsb.DISTRIB_ID.toLowerCase()
    os.name = lsb.DISTRIB_ID
    os.versionId = lsb.DISTRIB_RELEASE ?? ''
    os.prettyName = lsb.DISTRIB_DESCRIPTION ?? `${lsb.DISTRIB_ID} ${os.versionId}`
  } else if (alpine) {
    Object.assign(os, {id: 'alpine', name: 'Alpine Linux', versionId: alpine.trim(), prettyName: `Alpine Linux v${alpine.trim()}`})
  } else if (debian) {
    Object.assign(os, {id: 'debian', name: 'Debian GNU/Linux', versionId: debian.trim().split('.')[0] ?? '', prettyName: `Debian GNU/Linux ${debian.trim()}`})
  }
}

function initSystem(lines: string[]): InitSystem {
  const has = (s: string) => lines.some((l) => l.trim() === s)
  if (has('systemd-running') || has('systemd')) return 'systemd'
  if (has('openrc-running')) return 'openrc'
  if (has('upstart')) return 'upstart'
  if (has('init')) return 'sysvinit'
  return 'unknown'
}

const DMI_VENDORS: [RegExp, string][] = [
  [/vmware/i, 'vmware'],
  [/virtualbox|innotek/i, 'oracle'],
  [/kvm|qemu|standard pc|red hat|openstack|nutanix/i, 'kvm'],
  [/hvm domu|xen/i, 'xen'],
  [/amazon ec2/i, 'amazon'],
  [/google compute engine/i, 'google'],
  [/microsoft corporation.*virtual machine|virtual machine.*microsoft/i, 'microsoft'],
  [/parallels/i, 'parallels'],
  [/bochs/i, 'bochs'],
]

/** 'none' means bare metal, and is only said when the host gave evidence of it. */
function virtualization(lines: string[]): string {
  const kv = new Map(lines.map((l) => [l.split('=')[0]!, l.slice(l.indexOf('=') + 1)]))
  if (lines.includes('dockerenv') || lines.includes('containerenv') || lines.includes('container-cgroup')) return 'container'
  const detected = kv.get('detect-virt')?.trim()
  if (detected) return detected
  const dmi = `${kv.get('sys_vendor') ?? ''} ${kv.get('product_name') ?? ''}`.trim()
  for (const [pattern, name] of DMI_VENDORS) if (pattern.test(dmi)) return name
  if (lines.includes('cpu-hypervisor-flag')) return 'vm-other'
  return dmi ? 'none' : 'unknown'
}
