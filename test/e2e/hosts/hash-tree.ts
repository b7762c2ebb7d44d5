import {createHash} from 'node:crypto'
import {createReadStream, lstatSync, readdirSync, readlinkSync} from 'node:fs'
import {readFile, rename, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {CACHE} from './teardown.js'

// Hashing the whole 550 MB tree costs ~7 s here (sha256 runs at ~170 MB/s on this CPU), and
// nearly all of it is the shared, read-only lower layer. So digests are remembered by
// (path, inode, size, mtime, ctime): any write or copy-up changes the inode or the ctime,
// which not even root can set back. Persisted so the next test process starts warm.
const MEMO_FILE = join(CACHE, 'hash-tree-memo.json')
let memo: Map<string, string> | undefined

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
  memo ??= new Map(Object.entries(JSON.parse(await readFile(MEMO_FILE, 'utf8').catch(() => '{}')) as object))
  const used = new Map<string, string>()
  const files: Array<[string, string, string]> = []
  const dirs = ['/']
  // The walk is synchronous on purpose: 15k async lstat calls take seconds, sync ones 0.2 s.
  while (dirs.length > 0) {
    const dir = dirs.pop()!
    for (const name of readdirSync(join(rootDir, dir))) {
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`
      if (isExcluded(path)) continue
      const st = lstatSync(join(rootDir, path), {bigint: true})
      const meta = `${(st.mode & 0o7777n).toString(8)} ${st.uid}:${st.gid}`
      if (st.isDirectory()) {
        out.set(path, `dir ${meta}`)
        dirs.push(path)
      } else if (st.isSymbolicLink()) {
        out.set(path, `link ${meta} -> ${readlinkSync(join(rootDir, path))}`)
      } else if (st.isFile()) {
        out.set(path, `file ${meta}`)
        files.push([path, meta, `${path}\0${st.ino}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}`])
      } else {
        out.set(path, `special ${meta} ${st.mode >> 12n} ${st.rdev}`)
      }
    }
  }
  // A few reads in flight: faster than one at a time, without opening thousands of files.
  let next = 0
  const worker = async () => {
    while (next < files.length) {
      const [path, meta, key] = files[next++]!
      const digest = memo!.get(key) ?? (await sha256(join(rootDir, path)))
      used.set(key, digest)
      out.set(path, `file ${meta} ${digest}`)
    }
  }
  await Promise.all(Array.from({length: 4}, worker))
  for (const [key, digest] of used) memo.set(key, digest)
  // Only this tree's entries are kept on disk, so the file does not grow run after run.
  // Only a speed-up: a cache dir that cannot be written is no failure.
  const tmp = `${MEMO_FILE}.${process.pid}`
  await writeFile(tmp, JSON.stringify(Object.fromEntries(used)))
    .then(() => rename(tmp, MEMO_FILE))
    .catch(() => {})
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
