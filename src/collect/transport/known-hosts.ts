import {createHash, createHmac, timingSafeEqual} from 'node:crypto'
import {mkdir, open, readFile} from 'node:fs/promises'
import {dirname} from 'node:path'
import {globToRegExp} from '../../glob.js'

/** One usable line of a known_hosts file, as OpenSSH's sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" describes it. */
export interface KnownHostEntry {
  file: string
  line: number
  marker?: 'revoked' | 'cert-authority'
  /** The host field as written: a comma list of patterns, or one `|1|salt|hmac` hash. */
  hosts: string
  /** The key type inside the blob (the field must agree with it). */
  keyType: string
  keyBlob: Buffer
}

export interface MalformedLine {
  file: string
  line: number
  reason: string
}

export interface KnownHostsParse {
  entries: KnownHostEntry[]
  malformed: MalformedLine[]
}

export type HostKeyStatus = 'known' | 'unknown' | 'changed' | 'revoked'

export interface HostKeyCheck {
  status: HostKeyStatus
  /** known: the line that holds this key; changed: the line with the other key of the same type; revoked: the @revoked line. */
  matchedLine?: KnownHostEntry
  /** Key types known_hosts holds for this host name (plain lines only). */
  knownTypes: string[]
  /** @cert-authority lines that cover this host: recorded, but Hoist does not do certificate host keys. */
  certAuthorities: KnownHostEntry[]
}

/** The first SSH string of a public key blob is its type, e.g. `ssh-ed25519`. */
export function keyTypeFromBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined
  const length = blob.readUInt32BE(0)
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined
  const type = blob.subarray(4, 4 + length).toString('latin1')
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined
}

/** `SHA256:` + unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/** OpenSSH writes `host` for port 22 and `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  const lower = host.toLowerCase()
  return port === 22 ? lower : `[${lower}]:${port}`
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

export function parseKnownHosts(text: string, file: string): KnownHostsParse {
  const entries: KnownHostEntry[] = []
  const malformed: MalformedLine[] = []
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const fields = trimmed.split(/[ \t]+/)
    let marker: KnownHostEntry['marker']
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift()
      if (name !== '@revoked' && name !== '@cert-authority') {
        malformed.push({file, line, reason: `unknown marker ${name}`})
        return
      }
      marker = name === '@revoked' ? 'revoked' : 'cert-authority'
    }
    const [hosts, typeField, base64] = fields
    if (hosts === undefined || typeField === undefined || base64 === undefined) {
      malformed.push({file, line, reason: 'fewer than three fields'})
      return
    }
    if (!BASE64.test(base64)) {
      malformed.push({file, line, reason: 'key is not base64 (old SSH-1 format?)'})
      return
    }
    const keyBlob = Buffer.from(base64, 'base64')
    const keyType = keyTypeFromBlob(keyBlob)
    if (keyType === undefined || keyType !== typeField) {
      malformed.push({file, line, reason: `key blob does not hold a ${typeField} key`})
      return
    }
    if (hosts.startsWith('|') && parseHashed(hosts) === undefined) {
      malformed.push({file, line, reason: 'unreadable hashed host'})
      return
    }
    entries.push({file, line, ...(marker ? {marker} : {}), hosts, keyType, keyBlob})
  })
  return {entries, malformed}
}

/** A missing file is an empty one: that is how OpenSSH treats it too. */
export async function readKnownHosts(file: string): Promise<KnownHostsParse> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'), file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {entries: [], malformed: []}
    throw error
  }
}

function parseHashed(hosts: string): {salt: Buffer; hash: Buffer} | undefined {
  const parts = hosts.split('|')
  if (parts.length !== 4 || parts[0] !== '' || parts[1] !== '1') return undefined
  const salt = Buffer.from(parts[2] ?? '', 'base64')
  const hash = Buffer.from(parts[3] ?? '', 'base64')
  return salt.length === 20 && hash.length === 20 ? {salt, hash} : undefined
}


/** match_hostname(): a negated pattern that matches rejects the line whatever else matches. */
export function hostMatches(entry: Pick<KnownHostEntry, 'hosts'>, name: string): boolean {
  const lookup = name.toLowerCase()
  if (entry.hosts.startsWith('|')) {
    const hashed = parseHashed(entry.hosts)
    if (hashed === undefined) return false
    const digest = createHmac('sha1', hashed.salt).update(lookup).digest()
    return timingSafeEqual(digest, hashed.hash)
  }
  let positive = false
  for (const pattern of entry.hosts.split(',')) {
    if (pattern === '') continue
    const negated = pattern.startsWith('!')
    if (!globToRegExp(negated ? pattern.slice(1) : pattern, {brackets: false, ignoreCase: true}).test(lookup)) continue
    if (negated) return false
    positive = true
  }
  return positive
}

export function checkHostKey(entries: readonly KnownHostEntry[], name: string, keyType: string, keyBlob: Buffer): HostKeyCheck {
  // A revoked key must never be accepted, whichever host line it sits on.
  const revoked = entries.find((entry) => entry.marker === 'revoked' && entry.keyBlob.equals(keyBlob))
  const forHost = entries.filter((entry) => entry.marker === undefined && hostMatches(entry, name))
  const knownTypes = [...new Set(forHost.map((entry) => entry.keyType))]
  const certAuthorities = entries.filter((entry) => entry.marker === 'cert-authority' && hostMatches(entry, name))
  if (revoked) return {status: 'revoked', matchedLine: revoked, knownTypes, certAuthorities}
  const same = forHost.find((entry) => entry.keyBlob.equals(keyBlob))
  if (same) return {status: 'known', matchedLine: same, knownTypes, certAuthorities}
  const other = forHost.find((entry) => entry.keyType === keyType)
  if (other) return {status: 'changed', matchedLine: other, knownTypes, certAuthorities}
  return {status: 'unknown', knownTypes, certAuthorities}
}

/** Trust on first use: append `[host]:port type key` (plain, like accept-new with HashKnownHosts no). */
export async function appendKnownHost(file: string, host: string, port: number, keyType: string, keyBlob: Buffer): Promise<string> {
  return appendKnownHostLine(file, knownHostName(host, port), keyType, keyBlob)
}

/** Append under an exact lookup name (a HostKeyAlias is written as is). Returns the line written. */
export async function appendKnownHostLine(file: string, name: string, keyType: string, keyBlob: Buffer): Promise<string> {
  if (/[\s#]/.test(name) || name === '') throw new Error(`refusing to write an unsafe host name to ${file}: ${JSON.stringify(name)}`)
  const line = `${name} ${keyType} ${keyBlob.toString('base64')}\n`
  await mkdir(dirname(file), {recursive: true, mode: 0o700})
  const handle = await open(file, 'a+', 0o600)
  try {
    // A file that does not end in a newline would glue our entry onto its last line.
    const {size} = await handle.stat()
    let prefix = ''
    if (size > 0) {
      const last = Buffer.alloc(1)
      await handle.read(last, 0, 1, size - 1)
      if (last[0] !== 0x0a) prefix = '\n'
    }
    await handle.write(prefix + line)
  } finally {
    await handle.close()
  }
  return line.trimEnd()
}
