import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {lstat, readdir, readlink} from 'node:fs/promises'
import {join} from 'node:path'

/**
 * What changes on a fixture host on its own, so "the host is unchanged after a scan" does
 * not flag it. Measured by hashing an idle host before and after (see host.test.ts), plus
 * what its schedules touch.
 */
export const HASH_TREE_EXCLUDES: readonly string[] = [
  // Kernel filesystems and tmpfs mounted inside the host: seen from outside they are the
  // empty directories underneath, and inside they change constantly anyway.
  '/proc', '/sys', '/dev', '/run', '/tmp',
  // Every service logs, and every SSH login writes wtmp and lastlog.
  '/var/log',
  // postgres rewrites WAL, pg_control, stats and its pid file on its own schedule
  // (checkpoints, autovacuum); its configuration lives in /etc/postgresql and is kept.
  '/var/lib/postgresql/15/main',
  // The nightly billing export (cron, 02:30) writes here.
  '/var/lib/billing/exports',
  // cron.daily at 06:25: dpkg backs up its database, apt-compat stamps /var/lib/apt/periodic.
  '/var/backups', '/var/lib/apt',
]

export interface HashTreeOptions {
  /** Absolute paths inside the host, skipped with all below them, on top of the defaults. */
  exclude?: string[]
  /** Leave out HASH_TREE_EXCLUDES (default false). */
  noDefaultExcludes?: boolean
}

/**
 * Fingerprint of every entry under rootDir, keyed by its absolute path inside the host:
 * type, mode and owner for all, sha256 for regular files, the target for symlinks.
 */
export async function hashTree(rootDir: string, options: HashTreeOptions = {}): Promise<Map<string, string>> {
  const excluded = [...(options.noDefaultExcludes ? [] : HASH_TREE_EXCLUDES), ...(options.exclude ?? [])]
  const isExcluded = (p: string) => excluded.some((e) => p === e || p.startsWith(`${e}/`))
  const out = new Map<string, string>()
  const files: Array<[string, string]> = []
  const dirs = ['/']
  while (dirs.length > 0) {
    const dir = dirs.pop()!
    for (const name of await readdir(join(rootDir, dir))) {
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`
      if (isExcluded(path)) continue
      const st = await lstat(join(rootDir, path))
      const meta = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`
      if (st.isDirectory()) {
        out.set(path, `dir ${meta}`)
        dirs.push(path)
      } else if (st.isSymbolicLink()) {
        out.set(path, `link ${meta} -> ${await readlink(join(rootDir, path))}`)
      } else if (st.isFile()) {
        out.set(path, `file ${meta}`)
        files.push([path, meta])
      } else {
        out.set(path, `special ${meta} ${st.mode >> 12} ${st.rdev}`)
      }
    }
  }
  // A few reads in flight: faster than one at a time, without opening thousands of files.
  let next = 0
  const worker = async () => {
    while (next < files.length) {
      const [path, meta] = files[next++]!
      out.set(path, `file ${meta} ${await sha256(join(rootDir, path))}`)
    }
  }
  await Promise.all(Array.from({length: 8}, worker))
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** Paths added, removed or changed between two hashTree results, for assertions and messages. */
export function diffTrees(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = []
  for (const [path, value] of before) {
    const now = after.get(path)
    if (now === undefined) changes.push(`- ${path}`)
    else if (now !== value) changes.push(`~ ${path} (${value} => ${now})`)
  }
  for (const path of after.keys()) if (!before.has(path)) changes.push(`+ ${path}`)
  return changes
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject)
  })
}
