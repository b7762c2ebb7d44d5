import {byText, isEntryName, isWithin, joinHostPath} from './host-path.js'
import type {CapName, Discovered} from './report.js'
import {isDiscoverable} from './discover.js'
import {capHit, recordTrouble, skip, type FetchRun} from './run.js'
import {isSourcePathError} from './source.js'
import {walk} from './walk.js'

/**
 * Fetches the paths copied files named (discover.ts found them), one level at a time up to
 * caps.discoverDepth, at most caps.maxDiscovered checked per call. A named path that does not exist
 * is ignored: code names many paths it never opens on this host.
 */
export async function chaseNamed(run: FetchRun): Promise<void> {
  let checked = 0
  while (run.named.size > 0) {
    const candidates = [...run.named].sort(([a], [b]) => byText(a, b))
    run.named = new Map()
    run.level++
    for (const [path, namedIn] of candidates) {
      if (checked >= run.caps.maxDiscovered) {
        capHit(run, 'maxDiscovered', path, true)
        return
      }
      checked++
      await chaseOne(run, path, namedIn)
    }
  }
}

/** upOnce: this is already the folder of a cut-off name, looked at in its place; never go further up. */
async function chaseOne(run: FetchRun, path: string, namedIn: Discovered['namedIn'], upOnce = false): Promise<void> {
  let stat
  try {
    stat = await run.source.lstat(path)
  } catch (error) {
    recordTrouble(run, path, error)
    return
  }
  if (stat === undefined) {
    // `/var/lib/reports/report-$(date +%F).txt` is read as /var/lib/reports/report- : a file made at
    // run time, whose folder is what must exist. Only such cut-off names (ending in - _ .) look one
    // level up, so a missing config never pulls in its whole folder.
    const parent = path.slice(0, path.lastIndexOf('/'))
    if (/[-_.]$/.test(path) && !upOnce && isDiscoverable(parent) && !run.named.has(parent)) await chaseOne(run, parent, namedIn, true)
    return
  }
  if (stat.type === 'symlink' || stat.type === 'other') {
    skip(run, path, `named in ${namedIn.file}, but a ${stat.type === 'symlink' ? 'symbolic link' : 'socket, fifo or device'}: not followed`)
    return
  }
  const entry: Discovered = {path, type: stat.type, namedIn, copied: false}
  run.report.discovered.push(entry)
  const volume = run.caps.exclude.find((each) => isWithin(path, each) || isWithin(each, path))
  if (volume !== undefined) {
    entry.reason = `holds the data volume ${volume}: its data moves with migrate.sh, not in the image`
    return
  }
  const root = run.roots.find((each) => isWithin(path, each))
  if (root !== undefined) {
    entry.copied = true
    entry.reason = `inside ${root}, copied with it`
    return
  }
  if (stat.type === 'dir') {
    const over = await oversized(run, path)
    if (over) {
      capHit(run, over, path)
      entry.reason = `more than ${over === 'maxDiscoveredDirFiles' ? `${run.caps[over]} entries` : `${run.caps[over]} bytes`}: name it in the plan to copy it, or mount it as a volume`
      return
    }
    // A root before the walk, so links inside it may point anywhere inside it.
    run.roots.push(path)
  }
  const why = await walk(run, path, 'discovered', path)
  entry.copied = why === undefined
  if (why !== undefined) entry.reason = why
}

/**
 * Counts a named folder with lstat alone before copying it: a folder the code merely mentions is
 * often data (uploads, a database) that belongs in a volume, not an image.
 */
async function oversized(run: FetchRun, dir: string): Promise<CapName | undefined> {
  const {maxDiscoveredDirFiles, maxDiscoveredDirBytes} = run.caps
  let entries = 0
  let bytes = 0
  const stack = [dir]
  while (stack.length > 0) {
    const here = stack.pop() as string
    // What cannot be listed here is recorded by the walk itself.
    const names = await run.source.readdir(here).catch(onlyLost)
    for (const name of (names ?? []).filter(isEntryName)) {
      if (++entries > maxDiscoveredDirFiles) return 'maxDiscoveredDirFiles'
      const path = joinHostPath(here, name)
      const stat = await run.source.lstat(path).catch(onlyLost)
      if (stat?.type === 'dir') stack.push(path)
      if (stat?.type === 'file' && (bytes += stat.size) > maxDiscoveredDirBytes) return 'maxDiscoveredDirBytes'
    }
  }
  return undefined
}

/** A path's own trouble waits for the walk; a lost connection does not. */
function onlyLost(error: unknown): undefined {
  if (isSourcePathError(error)) return undefined
  throw error
}
