import type {MountFact} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {int, parts} from './context.js'

const PSEUDO = new Set([
  'proc', 'sysfs', 'devpts', 'devtmpfs', 'cgroup', 'cgroup2', 'securityfs', 'pstore', 'debugfs', 'tracefs',
  'mqueue', 'hugetlbfs', 'configfs', 'fusectl', 'binfmt_misc', 'autofs', 'bpf', 'efivarfs', 'rpc_pipefs', 'nsfs', 'selinuxfs',
])

/** /proc/mounts joined with `df -kP` by mount point. Pseudo filesystems are left out. */
export function parseMounts(lines: string[], ctx: ParseContext): MountFact[] {
  const [mountPart, ...rest] = parts(lines, ctx)
  const df = new Map<string, {size: number; used: number; avail: number}>()
  for (const line of rest.find((p) => p.tag === 'DF')?.lines ?? []) {
    const f = line.trim().split(/\s+/)
    if (f.length < 6 || f[0] === 'Filesystem') continue
    const [size, used, avail] = [int(f[1]), int(f[2]), int(f[3])]
    if (size === undefined || used === undefined || avail === undefined) continue
    df.set(f.slice(5).join(' '), {size: size * 1024, used: used * 1024, avail: avail * 1024})
  }
  const out: MountFact[] = []
  for (const line of mountPart?.lines ?? []) {
    const f = line.split(' ')
    if (f.length < 4 || PSEUDO.has(f[2]!)) continue
    const mountPoint = octal(f[1]!)
    const usage = df.get(mountPoint)
    out.push({
      device: octal(f[0]!),
      mountPoint,
      fsType: f[2]!,
      options: f[3]!.split(','),
      sizeBytes: usage?.size,
      usedBytes: usage?.used,
      availBytes: usage?.avail,
    })
  }
  return out
}

/** /proc/mounts escapes space, tab, newline and backslash as \040 \011 \012 \134. */
function octal(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 8)))
}
