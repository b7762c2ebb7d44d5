import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {
  appendKnownHost,
  appendKnownHostLine,
  checkHostKey,
  fingerprintSha256,
  hostMatches,
  keyTypeFromBlob,
  knownHostName,
  parseKnownHosts,
  readKnownHosts,
} from '../../../src/collect/transport/known-hosts.js'

const run = promisify(execFile)

interface Key {
  file: string
  type: string
  base64: string
  blob: Buffer
}

let dir: string
let keyA: Key
let keyB: Key
let rsa: Key

async function makeKey(name: string, type = 'ed25519'): Promise<Key> {
  const file = join(dir, name)
  await run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', file])
  const [keyType, base64] = (await readFile(`${file}.pub`, 'utf8')).trim().split(/\s+/) as [string, string]
  return {file, type: keyType, base64, blob: Buffer.from(base64, 'base64')}
}

function line(hosts: string, key: Key, marker = ''): string {
  return `${marker ? `${marker} ` : ''}${hosts} ${key.type} ${key.base64}`
}

function entriesOf(...lines: string[]) {
  const parsed = parseKnownHosts(lines.join('\n'), 'known_hosts')
  expect(parsed.malformed).toEqual([])
  return parsed.entries
}

beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'hoist-kh-'))
  ;[keyA, keyB, rsa] = await Promise.all([makeKey('a'), makeKey('b'), makeKey('r', 'rsa')])
})

afterAll(async () => {
  await rm(dir, {recursive: true, force: true})
})

describe('fingerprints and key types', () => {
  it('matches ssh-keygen -lf for ed25519 and rsa keys', async () => {
    for (const key of [keyA, rsa]) {
      const {stdout} = await run('ssh-keygen', ['-lf', `${key.file}.pub`])
      expect(stdout.split(/\s+/)[1]).toBe(fingerprintSha256(key.blob))
    }
  })

  it('reads the key type from the blob', () => {
    expect(keyTypeFromBlob(keyA.blob)).toBe('ssh-ed25519')
    expect(keyTypeFromBlob(rsa.blob)).toBe('ssh-rsa')
    expect(keyTypeFromBlob(Buffer.from([0, 0, 0]))).toBeUndefined()
    expect(keyTypeFromBlob(Buffer.from([0, 0, 1, 0, 65]))).toBeUndefined()
  })

  it('names hosts like OpenSSH: bare on port 22, bracketed elsewhere', () => {
    expect(knownHostName('Web1.Example.com', 22)).toBe('web1.example.com')
    expect(knownHostName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222')
    expect(knownHostName('::1', 2222)).toBe('[::1]:2222')
  })
})

describe('host matching', () => {
  it('matches plain names and comma lists, case-insensitively', () => {
    const [entry] = entriesOf(line('web1.example.com,10.0.0.5', keyA))
    expect(hostMatches(entry!, 'web1.example.com')).toBe(true)
    expect(hostMatches(entry!, 'WEB1.example.com')).toBe(true)
    expect(hostMatches(entry!, '10.0.0.5')).toBe(true)
    expect(hostMatches(entry!, 'web2.example.com')).toBe(false)
  })

  it('keeps [host]:port apart from the bare host', () => {
    const entries = entriesOf(line('[127.0.0.1]:2222', keyA), line('127.0.0.1', keyB))
    expect(checkHostKey(entries, '[127.0.0.1]:2222', keyA.type, keyA.blob).status).toBe('known')
    expect(checkHostKey(entries, '127.0.0.1', keyA.type, keyA.blob).status).toBe('changed')
    expect(checkHostKey(entries, '[127.0.0.1]:2223', keyA.type, keyA.blob).status).toBe('unknown')
  })

  it('supports * and ? wildcards, also inside brackets', () => {
    const [star, question, bracket] = entriesOf(line('*.example.com', keyA), line('web?.lan', keyA), line('[10.0.0.*]:2222', keyA))
    expect(hostMatches(star!, 'a.b.example.com')).toBe(true)
    expect(hostMatches(star!, 'example.com')).toBe(false)
    expect(hostMatches(question!, 'web1.lan')).toBe(true)
    expect(hostMatches(question!, 'web10.lan')).toBe(false)
    expect(hostMatches(question!, 'web.lan')).toBe(false)
    expect(hostMatches(bracket!, '[10.0.0.7]:2222')).toBe(true)
    expect(hostMatches(bracket!, '10.0.0.7')).toBe(false)
  })

  it('lets a matching negated pattern reject the line', () => {
    const [entry] = entriesOf(line('*.example.com,!bad.example.com', keyA))
    expect(hostMatches(entry!, 'good.example.com')).toBe(true)
    expect(hostMatches(entry!, 'bad.example.com')).toBe(false)
    const [onlyNegated] = entriesOf(line('!bad.example.com', keyA))
    expect(hostMatches(onlyNegated!, 'good.example.com')).toBe(false)
  })

  it('matches lines hashed by ssh-keygen -H, and agrees with ssh-keygen -F', async () => {
    const file = join(dir, 'hashed')
    await writeFile(file, [line('web1.example.com', keyA), line('[127.0.0.1]:2222', keyB), ''].join('\n'))
    await run('ssh-keygen', ['-H', '-f', file])
    const {entries, malformed} = await readKnownHosts(file)
    expect(malformed).toEqual([])
    expect(entries.every((entry) => entry.hosts.startsWith('|1|'))).toBe(true)
    expect(checkHostKey(entries, 'web1.example.com', keyA.type, keyA.blob).status).toBe('known')
    expect(checkHostKey(entries, '[127.0.0.1]:2222', keyB.type, keyB.blob).status).toBe('known')
    expect(checkHostKey(entries, '[127.0.0.1]:2222', keyA.type, keyA.blob)).toMatchObject({status: 'changed', matchedLine: {line: 2}})
    expect(checkHostKey(entries, '127.0.0.1', keyB.type, keyB.blob).status).toBe('unknown')
    for (const name of ['web1.example.com', '[127.0.0.1]:2222']) {
      const {stdout} = await run('ssh-keygen', ['-F', name, '-f', file])
      expect(stdout).toContain('found: line')
    }
  })
})

describe('checkHostKey', () => {
  it('says known, changed or unknown the way OpenSSH does', () => {
    const entries = entriesOf(line('db1', keyA), line('db2', rsa))
    expect(checkHostKey(entries, 'db1', keyA.type, keyA.blob)).toMatchObject({status: 'known', matchedLine: {line: 1}, knownTypes: ['ssh-ed25519']})
    expect(checkHostKey(entries, 'db1', keyB.type, keyB.blob)).toMatchObject({status: 'changed', matchedLine: {line: 1}})
    // Only another key type on file: OpenSSH treats the offered type as new.
    expect(checkHostKey(entries, 'db2', keyA.type, keyA.blob)).toEqual({status: 'unknown', knownTypes: ['ssh-rsa'], certAuthorities: []})
    expect(checkHostKey(entries, 'db3', keyA.type, keyA.blob)).toEqual({status: 'unknown', knownTypes: [], certAuthorities: []})
  })

  it('prefers a line holding the key over an older line of the same type', () => {
    const entries = entriesOf(line('db1', keyB), line('db1', keyA))
    expect(checkHostKey(entries, 'db1', keyA.type, keyA.blob)).toMatchObject({status: 'known', matchedLine: {line: 2}})
  })

  it('refuses a @revoked key wherever it appears, even if also listed as known', () => {
    const entries = entriesOf(line('db1', keyA), line('*', keyA, '@revoked'))
    expect(checkHostKey(entries, 'db1', keyA.type, keyA.blob)).toMatchObject({status: 'revoked', matchedLine: {line: 2, marker: 'revoked'}})
    const elsewhere = entriesOf(line('other-host', keyA, '@revoked'))
    expect(checkHostKey(elsewhere, 'db1', keyA.type, keyA.blob).status).toBe('revoked')
  })

  it('records @cert-authority lines without treating them as known keys', () => {
    const entries = entriesOf(line('*.example.com', keyA, '@cert-authority'))
    const check = checkHostKey(entries, 'web.example.com', keyA.type, keyA.blob)
    expect(check.status).toBe('unknown')
    expect(check.certAuthorities).toHaveLength(1)
    expect(check.certAuthorities[0]).toMatchObject({marker: 'cert-authority', line: 1})
    expect(checkHostKey(entries, 'web.other.org', keyA.type, keyA.blob).certAuthorities).toEqual([])
  })
})

describe('parsing leniently', () => {
  it('skips comments and blank lines silently and malformed lines with a reason', () => {
    const text = [
      '# a comment',
      '',
      '   ',
      line('good', keyA),
      'only-two-fields ssh-ed25519',
      `bad-base64 ssh-ed25519 !!!${keyA.base64}`,
      `wrong-type ssh-rsa ${keyA.base64}`,
      line('marked', keyA, '@bogus'),
      `|1|notbase64|xx ${keyA.type} ${keyA.base64}`,
      'old-ssh1 2048 65537 12345678901234567890',
      `${line('good2', keyB)} trailing comment words`,
      '\tindented ' + `${keyB.type} ${keyB.base64}`,
    ].join('\n')
    const {entries, malformed} = parseKnownHosts(text, '/x/known_hosts')
    expect(entries.map((entry) => [entry.hosts, entry.line])).toEqual([
      ['good', 4],
      ['good2', 11],
      ['indented', 12],
    ])
    expect(malformed.map((item) => item.line)).toEqual([5, 6, 7, 8, 9, 10])
    expect(malformed.every((item) => item.file === '/x/known_hosts' && item.reason.length > 0)).toBe(true)
  })

  it('treats a missing file as empty', async () => {
    expect(await readKnownHosts(join(dir, 'does-not-exist'))).toEqual({entries: [], malformed: []})
  })
})

describe('appendKnownHost', () => {
  it('creates the directory 0700 and the file 0600, and writes a line OpenSSH finds', async () => {
    const file = join(dir, 'fresh', '.ssh', 'known_hosts')
    const written = await appendKnownHost(file, '127.0.0.1', 2222, keyA.type, keyA.blob)
    expect(written).toBe(`[127.0.0.1]:2222 ${keyA.type} ${keyA.base64}`)
    expect((await stat(join(dir, 'fresh', '.ssh'))).mode & 0o777).toBe(0o700)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    await appendKnownHost(file, 'Web1.Example.com', 22, keyB.type, keyB.blob)
    expect(await readFile(file, 'utf8')).toBe(`[127.0.0.1]:2222 ${keyA.type} ${keyA.base64}\nweb1.example.com ${keyB.type} ${keyB.base64}\n`)
    const {stdout} = await run('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file])
    expect(stdout).toContain('found: line 1')
    const {entries} = await readKnownHosts(file)
    expect(checkHostKey(entries, 'web1.example.com', keyB.type, keyB.blob).status).toBe('known')
  })

  it('does not glue its line onto a last line without a newline', async () => {
    const file = join(dir, 'no-newline')
    await writeFile(file, line('first', keyA))
    await appendKnownHostLine(file, 'alias-name', keyB.type, keyB.blob)
    const {entries, malformed} = await readKnownHosts(file)
    expect(malformed).toEqual([])
    expect(entries.map((entry) => entry.hosts)).toEqual(['first', 'alias-name'])
  })

  it('refuses a name that would break the line', async () => {
    await expect(appendKnownHostLine(join(dir, 'x'), 'a b', keyA.type, keyA.blob)).rejects.toThrow(/unsafe host name/)
  })
})
