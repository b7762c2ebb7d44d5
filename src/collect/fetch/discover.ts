import {hostPathProblem, normaliseHostPath} from './host-path.js'

/**
 * Applications read files outside their own folders: a config under /etc or data under /srv named
 * only in their code or config. These functions find such names in text; fetch.ts checks them on the
 * host. Pure: no I/O, so they are tested on strings.
 */

export interface NamedPath {
  path: string
  /** 1-based. */
  line: number
}

// A path starts after a blank, quote, bracket, `=`, `:` or `,` (not after a word, `$VAR` or `${VAR}`,
// and not as the host part of a URL) and runs over the characters file names usually hold.
const ABSOLUTE_PATH = /(?<![A-Za-z0-9_.~/\\$}@%+-])\/[A-Za-z0-9_.@%+~-]+(?:\/[A-Za-z0-9_.@%+~-]+)*\/?/g

// The OS's own folders: installed by packages or made at boot, never part of an application.
const SYSTEM_TOP = new Set(['proc', 'sys', 'dev', 'run', 'tmp', 'usr', 'bin', 'sbin', 'boot', 'lib', 'lib32', 'lib64', 'libx32', 'lost+found', 'media', 'mnt'])

// OS files and folders that also hold secrets or only make sense on the host itself.
const SYSTEM_PATHS = [
  '/etc/passwd', '/etc/shadow', '/etc/gshadow', '/etc/group', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf',
  '/etc/nsswitch.conf', '/etc/localtime', '/etc/timezone', '/etc/machine-id', '/etc/fstab', '/etc/mtab', '/etc/os-release',
  '/etc/ssl', '/etc/pki', '/etc/ca-certificates', '/etc/ssh', '/etc/sudoers', '/etc/sudoers.d', '/etc/pam.d', '/etc/security',
  '/etc/alternatives', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/shells', '/etc/login.defs', '/etc/environment',
  '/var/log', '/var/run', '/var/lock', '/var/tmp', '/var/cache', '/var/spool', '/var/mail', '/var/lib/dpkg', '/var/lib/apt',
  '/var/lib/rpm', '/var/lib/yum', '/var/lib/dnf', '/var/lib/systemd', '/var/backups',
]

// Folders too broad to copy whole because code named them: only something below them is specific.
const TOO_BROAD = new Set(['/var/lib', '/var/www', '/var/opt', '/usr/local/bin', '/usr/local/sbin', '/usr/local/lib', '/usr/local/share', '/usr/local/include', '/usr/local/src', '/root'])

// Credentials people keep in home folders, and runtime files no image should carry.
const PRIVATE_NAME = /^(\.ssh|\.gnupg|\.aws|\.kube|\.docker|\.netrc|\.pgpass|\.git-credentials|\.[A-Za-z]*_history)$/
const RUNTIME_LEAF = /^(log|logs|cache|tmp|temp)$|\.(log|pid|sock|lock)$/

/** Whether a path named in a file may be fetched: an application's, not the OS's or a person's. */
export function isDiscoverable(path: string): boolean {
  const parts = path.split('/').filter(Boolean)
  const top = parts[0]
  if (top === undefined || parts.length < 2) return false
  if (top === 'usr' && !(parts[1] === 'local' && parts.length >= 3)) return false
  if (top !== 'usr' && SYSTEM_TOP.has(top)) return false
  if (top === 'home' && parts.length < 3) return false
  if (TOO_BROAD.has(path)) return false
  if (SYSTEM_PATHS.some((system) => path === system || path.startsWith(`${system}/`))) return false
  if (parts.some((part) => PRIVATE_NAME.test(part))) return false
  return !RUNTIME_LEAF.test(parts[parts.length - 1] as string)
}

/**
 * Absolute paths named in a text file, first mention of each, in order; at most `limit` of them, so a
 * hostile file full of paths costs little. `file` is where the text came from: a file never names itself.
 */
export function namedPaths(text: string, file: string, limit = 1000): NamedPath[] {
  const found = new Map<string, number>()
  const lines = text.split('\n')
  for (const [index, line] of lines.entries()) {
    for (const match of line.matchAll(ABSOLUTE_PATH)) {
      const raw = match[0].replace(/[.]+$/, '')
      // `..` is left to the host to resolve: as text it could name the wrong place.
      if (hostPathProblem(raw)) continue
      const path = normaliseHostPath(raw)
      if (path === file || found.has(path) || !isDiscoverable(path)) continue
      found.set(path, index + 1)
      if (found.size >= limit) return toList(found)
    }
  }
  return toList(found)
}

function toList(found: Map<string, number>): NamedPath[] {
  return [...found].map(([path, line]) => ({path, line}))
}

// Where a program writes its logs and runtime files: never copied, but the folder must exist (and be
// the service's) or the program fails to start, as gunicorn does without its errorlog folder.
const RUNTIME_ROOTS = ['/var/log/', '/run/', '/var/run/']

/** Folders under /var/log and /run that a text file names (a named file's folder), first mention of each. */
export function namedRuntimeDirs(text: string, limit = 100): NamedPath[] {
  const found = new Map<string, number>()
  for (const [index, line] of text.split('\n').entries()) {
    for (const match of line.matchAll(ABSOLUTE_PATH)) {
      const raw = match[0].replace(/[.]+$/, '').replace(/\/+$/, '')
      if (hostPathProblem(raw) || !RUNTIME_ROOTS.some((root) => raw.startsWith(root))) continue
      const path = normaliseHostPath(raw)
      const last = path.slice(path.lastIndexOf('/') + 1)
      const dir = last.includes('.') ? path.slice(0, path.lastIndexOf('/')) : path
      if (RUNTIME_ROOTS.some((root) => `${dir}/` === root) || found.has(dir)) continue
      found.set(dir, index + 1)
      if (found.size >= limit) return toList(found)
    }
  }
  return toList(found)
}

// `port = 5432`, `port: 6379`, `localhost:5432`, `127.0.0.1:11211`: a local port a config points at.
const NAMED_PORT = /(?:^|[^A-Za-z0-9_])port["']?[ \t]*[=:][ \t]*["']?(\d{2,5})\b|(?:localhost|127\.0\.0\.1|\[::1\]):(\d{2,5})\b/gi

/** Local ports a text file names, first mention of each: the services on this host it talks to. */
export function namedPorts(text: string, limit = 50): {port: number; line: number}[] {
  const found = new Map<number, number>()
  for (const [index, line] of text.split('\n').entries()) {
    if (/^[ \t]*(#|;|\/\/)/.test(line)) continue
    for (const match of line.matchAll(NAMED_PORT)) {
      const port = Number(match[1] ?? match[2])
      if (port > 0 && port < 65536 && !found.has(port)) found.set(port, index + 1)
      if (found.size >= limit) break
    }
  }
  return [...found].map(([port, line]) => ({port, line}))
}
