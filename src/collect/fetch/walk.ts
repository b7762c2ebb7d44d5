import {copyFile} from './copy-file.js'
import {isDiscoverable} from './discover.js'
import {byText, depthBelow, isEntryName, isWithinAny, joinHostPath, linkTargetPath} from './host-path.js'
import {atMaxFiles, capHit, noteNamed, recordTrouble, safeMode, skip, type FetchRun} from './run.js'
import type {FileStat} from './source.js'

/**
 * Copies one path of the host below `root` with lstat semantics: files copied, folders walked, links
 * noted (made at the end, only when they point inside what was fetched), everything else skipped.
 * Returns why the path itself was not copied, or undefined.
 */
export async function walk(run: FetchRun, path: string, role: string, root: string): Promise<string | undefined> {
  if (run.seen.has(path)) return undefined
  run.seen.add(path)
  let stat: FileStat | undefined
  try {
    stat = await run.source.lstat(path)
  } catch (error) {
    recordTrouble(run, path, error)
    return 'could not be read'
  }
  if (stat === undefined) {
    // A requested path that is not there is worth saying; one that vanished mid-walk is an error.
    if (path === root) skip(run, path, 'does not exist on the host')
    else run.report.errors.push({path, message: `${path}: vanished while it was fetched (or its name is not valid UTF-8)`})
    return 'does not exist on the host'
  }
  switch (stat.type) {
    case 'file':
      return copyFile(run, path, stat, role)
    case 'dir':
      return walkDir(run, path, stat, role, root)
    case 'symlink':
      return noteLink(run, path)
    default:
      skip(run, path, 'a socket, fifo or device: not copied')
      return 'a socket, fifo or device'
  }
}

async function walkDir(run: FetchRun, path: string, stat: FileStat, role: string, root: string): Promise<string | undefined> {
  const {caps} = run
  if (depthBelow(path, root) > caps.maxDepth) {
    capHit(run, 'maxDepth', path)
    skip(run, path, `deeper than maxDepth (${caps.maxDepth}) below ${root}: not walked`)
    return 'deeper than maxDepth'
  }
  // Past maxFiles every file would be skipped one by one: say it once for the whole folder instead.
  if (atMaxFiles(run, path, ': not walked')) return 'maxFiles reached'
  let names: string[]
  try {
    names = await run.source.readdir(path)
  } catch (error) {
    recordTrouble(run, path, error)
    return 'could not be listed'
  }
  const mode = safeMode(run, path, stat.mode)
  try {
    await run.sink.mkdir(path, mode)
  } catch (error) {
    recordTrouble(run, path, error)
    return 'refused by the build context'
  }
  run.report.dirs.push({path, mode, uid: stat.uid, gid: stat.gid})
  for (const name of [...names].sort(byText)) {
    if (!isEntryName(name)) {
      run.report.errors.push({path, message: `${path}: the host listed an impossible entry name`})
      continue
    }
    const child = joinHostPath(path, name)
    await walk(run, child, run.roles.get(child) ?? role, root)
  }
  return undefined
}

/** Never followed: its target is read as text, and named for discovery when it leads elsewhere. */
async function noteLink(run: FetchRun, path: string): Promise<string | undefined> {
  let target: string
  try {
    target = await run.source.readlink(path)
  } catch (error) {
    recordTrouble(run, path, error)
    return 'could not be read'
  }
  if (target === '' || target.includes('\0')) {
    skip(run, path, 'a symbolic link with an empty or invalid target')
    return 'an invalid symbolic link'
  }
  run.links.push({path, target})
  const resolved = linkTargetPath(path, target)
  if (!isWithinAny(resolved, run.roots) && isDiscoverable(resolved)) noteNamed(run, resolved, path, 0)
  return undefined
}

/** The links noted during the walk, made now that every root is known. */
export async function makeLinks(run: FetchRun): Promise<void> {
  for (const link of run.links) {
    if (!isWithinAny(linkTargetPath(link.path, link.target), run.roots)) {
      skip(run, link.path, 'points outside the named paths')
      continue
    }
    if (atMaxFiles(run, link.path)) continue
    try {
      await run.sink.symlink(link.path, link.target)
    } catch (error) {
      recordTrouble(run, link.path, error)
      continue
    }
    run.written++
    run.report.symlinks.push({path: link.path, target: link.target})
  }
}
