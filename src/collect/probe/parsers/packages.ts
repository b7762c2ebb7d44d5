import type {PackageFact, PackageManager} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {note, parts} from './context.js'

export function parsePackages(lines: string[], ctx: ParseContext): PackageFact[] {
  const out: PackageFact[] = []
  let bad = 0
  for (const part of parts(lines, ctx)) {
    if (part.tag !== 'MANAGER') continue
    const manager = part.arg as PackageManager
    if (manager === 'apk') out.push(...apk(part.lines))
    else if (manager === 'dpkg' || manager === 'rpm') {
      for (const line of part.lines) {
        if (!line.trim()) continue
        const [name, version, arch, status] = line.split('\t')
        if (!name || !version) {
          bad++
          continue
        }
        if (manager === 'dpkg' && status !== undefined && !/ installed$/.test(status)) continue
        // rpm prints (none) for a tag a package lacks: gpg-pubkey has no epoch and no arch.
        out.push({manager, name, version: manager === 'rpm' ? version.replace(/^(\(none\)|0):/, '') : version, arch: arch && arch !== '(none)' ? arch : undefined})
      }
    }
  }
  if (bad > 0) note(ctx, `${bad} package lines without a name and version were skipped`)
  return out
}

/** /lib/apk/db/installed: blocks of "P:name", "V:version", "A:arch". */
function apk(lines: string[]): PackageFact[] {
  const out: PackageFact[] = []
  let current: Partial<PackageFact> = {}
  const flush = () => {
    if (current.name && current.version) out.push({manager: 'apk', name: current.name, version: current.version, arch: current.arch})
    current = {}
  }
  for (const line of lines) {
    if (line.startsWith('P:')) {
      flush()
      current.name = line.slice(2)
    } else if (line.startsWith('V:')) current.version = line.slice(2)
    else if (line.startsWith('A:')) current.arch = line.slice(2)
  }
  flush()
  return out
}
