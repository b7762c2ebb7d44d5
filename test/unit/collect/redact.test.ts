import {execFileSync} from 'node:child_process'
import {accessSync, constants, realpathSync} from 'node:fs'
import {delimiter, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {redactArgv, redactElement, redactEnv, redactLine, redactLines} from '../../../src/collect/redact.js'
import {Random} from './random.js'

// The same cases go through the TypeScript rules and through the awk program in probe.sh, run for
// real by every shell and awk on this machine: the two must agree, and no secret may survive either.

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const R = '<redacted>'

interface LineCase {
  input: string
  expected: string
  secrets: string[]
}

const LINE_CASES: LineCase[] = [
  // A dash inside a word starts no flag (redis.conf directives); a real flag after one still counts.
  {input: 'notify-keyspace-events ""', expected: 'notify-keyspace-events ""', secrets: []},
  {input: 'notify-keyspace-events Ex', expected: 'notify-keyspace-events Ex', secrets: []},
  // Directives with their value after a blank (redis.conf and the like).
  {input: 'requirepass pw-r3d1s', expected: `requirepass ${R}`, secrets: ['pw-r3d1s']},
  {input: '  masterauth "two words"', expected: `  masterauth ${R}`, secrets: ['two', 'words']},
  {input: 'PasswordAuthentication no', expected: 'PasswordAuthentication no', secrets: []},
  {input: 'ServerTokens OS', expected: 'ServerTokens OS', secrets: []},
  {input: 'SSLPassPhraseDialog exec:/usr/share/apache2/ask-for-passphrase', expected: 'SSLPassPhraseDialog exec:/usr/share/apache2/ask-for-passphrase', secrets: []},
  {input: 'requirepass /run/secrets/redis', expected: 'requirepass /run/secrets/redis', secrets: []},
  // Quoted keys: Python dicts, PHP and Ruby hashes.
  {input: "DATABASES = {'PASSWORD': 'pw-d1ct'}", expected: `DATABASES = {'PASSWORD': '${R}'}`, secrets: ['pw-d1ct']},
  {input: "'db_pass' => \"pw-ph9\",", expected: `'db_pass' => "${R}",`, secrets: ['pw-ph9']},
  {input: 'tracking-table-max-keys 1000000', expected: 'tracking-table-max-keys 1000000', secrets: []},
  {input: 'run-x --password pw-z9 more-key v', expected: `run-x --password ${R} more-key v`, secrets: ['pw-z9']},
  {input: 'db_password = s3cr3t', expected: `db_password = ${R}`, secrets: ['s3cr3t']},
  {input: 'password: hunter2', expected: `password: ${R}`, secrets: ['hunter2']},
  {input: '  password: a b c', expected: `  password: ${R}`, secrets: ['a b c']},
  {input: 'Environment="A_SECRET=x y" "B=ok"', expected: `Environment="A_SECRET=${R}" "B=ok"`, secrets: ['x y']},
  {input: "export TOKEN='abc def'", expected: `export TOKEN=${R}`, secrets: ['abc', 'def']},
  {input: '0 2 * * * app /opt/x --password=abc', expected: `0 2 * * * app /opt/x --password=${R}`, secrets: ['abc']},
  {input: '--db-pass=hunter2 extra', expected: `--db-pass=${R}`, secrets: ['hunter2']},
  {input: 'x=1 password=abc9 def', expected: `x=1 password=${R} def`, secrets: ['abc9']},
  {input: 'ExecStart=/usr/bin/app --token abc --key-file /etc/x.key', expected: `ExecStart=/usr/bin/app --token ${R} --key-file /etc/x.key`, secrets: ['abc']},
  {input: 'ExecStart=/usr/bin/app --password "correct horse" --user x', expected: `ExecStart=/usr/bin/app --password ${R} --user x`, secrets: ['correct', 'horse']},
  {input: "0 3 * * * /opt/x --token 'q1w2 e3r4'", expected: `0 3 * * * /opt/x --token ${R}`, secrets: ['q1w2', 'e3r4']},
  {input: 'DAEMON_ARGS="--config /etc/a.conf --api-key 5f2b9c"', expected: `DAEMON_ARGS="--config /etc/a.conf --api-key ${R}"`, secrets: ['5f2b9c']},
  {input: 'DATABASE_URL=postgres://app:s3cret@db:5432/x', expected: `DATABASE_URL=postgres://app:${R}@db:5432/x`, secrets: ['s3cret']},
  {input: 'url = "https://u:p4ss@h/x"', expected: `url = "https://u:${R}@h/x"`, secrets: ['p4ss']},
  {input: '{"db_password": "x1y2", "user": "u"}', expected: `{"db_password": "${R}", "user": "u"}`, secrets: ['x1y2']},
  {input: 'aws_access_key_id AKIAIOSFODNN7EXAMPLE', expected: `aws_access_key_id ${R}`, secrets: ['AKIAIOSFODNN7EXAMPLE']},
  {input: 'GITHUB=ghp_abcdefghijklmnopqrstuvwxyz0123456789', expected: `GITHUB=${R}`, secrets: ['ghp_abcdefghij']},
  {input: 'SLACK_HOOK=xoxb-1234567890-abcdefghij', expected: `SLACK_HOOK=${R}`, secrets: ['xoxb-1234567890']},
  {input: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', expected: `Authorization: Bearer ${R}`, secrets: ['eyJzdWIiOiIxIn0']},
  {input: 'TLS_KEY="-----BEGIN PRIVATE KEY-----', expected: R, secrets: ['BEGIN PRIVATE KEY']},
  // BusyBox awk once read [\/] as a backslash and a slash: values starting with a backslash leaked there.
  {input: 'x --password \\q9secret y', expected: `x --password ${R} y`, secrets: ['q9secret']},
  {input: 'URL=postgres://u:p\\ss9w@h/db', expected: `URL=postgres://u:${R}@h/db`, secrets: ['ss9w']},
  {input: 'PWD=/srv', expected: 'PWD=/srv', secrets: []},
  {input: 'OLDPWD=/home/ops', expected: 'OLDPWD=/home/ops', secrets: []},
  {input: 'ExecStart=/usr/sbin/nginx -g "daemon off;"', expected: 'ExecStart=/usr/sbin/nginx -g "daemon off;"', secrets: []},
]

interface RecordCase {
  file: 'cmdline' | 'environ'
  elements: string[]
  expected: string[]
  secrets: string[]
}

const RECORD_CASES: RecordCase[] = [
  {file: 'cmdline', elements: ['/opt/app', '--password=pw-q4x4', '--token', 'tok-q5abc5', '--key-file', '/etc/x.key'],
    expected: ['/opt/app', `--password=${R}`, '--token', R, '--key-file', '/etc/x.key'], secrets: ['pw-q4x4', 'tok-q5abc5']},
  {file: 'cmdline', elements: ['psql', 'postgres://app:s3cret@db:5432/x'], expected: ['psql', `postgres://app:${R}@db:5432/x`], secrets: ['s3cret']},
  {file: 'cmdline', elements: ['app', '--config', '{"db_password": "json-q7x7"}'], expected: ['app', '--config', `{"db_password": "${R}"}`], secrets: ['json-q7x7']},
  {file: 'cmdline', elements: ['aws', 's3', 'ls', 'AKIAIOSFODNN7EXAMPLE'], expected: ['aws', 's3', 'ls', R], secrets: ['AKIAIOSFODNN7EXAMPLE']},
  {file: 'cmdline', elements: ['git', 'clone', 'https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r'],
    expected: ['git', 'clone', `https://${R}@github.com/o/r`], secrets: ['ghp_abcdefghij']},
  {file: 'cmdline', elements: ['curl', '-H', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    expected: ['curl', '-H', `Authorization: Bearer ${R}`], secrets: ['eyJzdWIiOiIxIn0']},
  {file: 'cmdline', elements: ['/bin/sh', '-c', '/opt/x --password=sh-q9abc9 --user bob'], expected: ['/bin/sh', '-c', `/opt/x --password=${R} --user bob`], secrets: ['sh-q9abc9']},
  {file: 'cmdline', elements: ['java', '-Djavax.net.ssl.keyStorePassword=changeit', '-jar', 'app.jar'],
    expected: ['java', `-Djavax.net.ssl.keyStorePassword=${R}`, '-jar', 'app.jar'], secrets: ['changeit']},
  {file: 'cmdline', elements: ['app', '--token', '\\q8tok'], expected: ['app', '--token', R], secrets: ['q8tok']},
  {file: 'cmdline', elements: ['mysqld', '--password', '/run/secrets/db', '--token', ''], expected: ['mysqld', '--password', '/run/secrets/db', '--token', ''], secrets: []},
  {file: 'environ', elements: ['DB_PASSWORD=dbpw-7731', 'PGPASSWORD=pgpw-9902', 'PWD=/srv', 'OLDPWD=/', 'API_KEY=apikey-5521', 'PATH=/usr/bin:/bin'],
    expected: [`DB_PASSWORD=${R}`, `PGPASSWORD=${R}`, 'PWD=/srv', 'OLDPWD=/', `API_KEY=${R}`, 'PATH=/usr/bin:/bin'], secrets: ['dbpw-7731', 'pgpw-9902', 'apikey-5521']},
  // A value holding newlines: `grep -a -H` prints it as several lines with the same "PID/environ:" prefix.
  {file: 'environ', elements: ['A=1', 'TLS_PRIVATE_KEY=-----BEGIN PRIVATE KEY-----\nMIIsecretbody\n-----END PRIVATE KEY-----', 'B=ok'],
    expected: ['A=1', `TLS_PRIVATE_KEY=${R}`, 'B=ok'], secrets: ['MIIsecretbody', 'BEGIN PRIVATE KEY']},
  {file: 'environ', elements: ['CERT=-----BEGIN RSA PRIVATE KEY-----\nMIIrsabody\n-----END RSA PRIVATE KEY-----'], expected: [`CERT=${R}`], secrets: ['MIIrsabody']},
  {file: 'environ', elements: ['MOTD=line one\nline two', 'X=1'], expected: ['MOTD=line one\nline two', 'X=1'], secrets: []},
  {file: 'environ', elements: ['JAVA_OPTS=-Xmx1g -Djavax.net.ssl.trustStorePassword=changeit', 'SPRING_APPLICATION_JSON={"db":{"password":"pw-q9pw9"}}'],
    expected: [`JAVA_OPTS=-Xmx1g -Djavax.net.ssl.trustStorePassword=${R}`, `SPRING_APPLICATION_JSON={"db":{"password": "${R}"}}`], secrets: ['changeit', 'pw-q9pw9']},
  {file: 'environ', elements: ['DATABASE_URL=postgres://app:s3cret@db:5432/x', 'GH=ghp_abcdefghij0123456789', 'SLACK=xoxb-123456789-abc'],
    expected: [`DATABASE_URL=postgres://app:${R}@db:5432/x`, `GH=${R}`, `SLACK=${R}`], secrets: ['s3cret', 'ghp_abcdefghij', 'xoxb-123456789']},
]

// Pieces of secret-looking text: random lines of them probe the corners the table does not.
const PIECES = [
  'a', 'b', 'x', 'Z', '9', '_', '.', '-', '--', '=', ':', ' ', '\t', '"', "'", '/', '//', '@', '://', 'pass', 'password', 'token',
  'Key', 'secret', 'PWD', 'oldpwd', 'export ', 'eyJ', 'eyJhbGci', 'xoxb-', 'ghp_', 'AKIA', 'ABCDEFGHIJKLMNOP', '1234567890', '{', '}',
  '"db_password"', ': ', 'user', 'u:p@h', 'DB_', '-D', 'salt', '=\'', '\\', 'eyJa.', '.eyJb.', 'xoxp-1234567', 'ghp_0123456789',
]

function randomLine(random: Random): string {
  let line = ''
  const n = 1 + random.int(24)
  for (let i = 0; i < n; i++) line += random.pick(PIECES)
  return line
}

const RANDOM_LINES = ((random: Random) => Array.from({length: 1500}, () => randomLine(random)))(new Random(20231121))
const RANDOM_ARGVS = ((random: Random) => Array.from({length: 300}, () => Array.from({length: 1 + random.int(6)}, () => randomLine(random))))(new Random(7))

/** What TypeScript makes of a record: argv through redactArgv, an environment through redactEnv. */
function tsRecord(c: RecordCase): string[] {
  if (c.file === 'cmdline') return redactArgv(c.elements)
  const env = Object.fromEntries(c.elements.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
  return Object.entries(redactEnv(env)).map(([name, value]) => `${name}=${value}`)
}

/** The bytes `grep -a -H '' N/FILE | tr '\000' '\001'` prints for the cases, one pid each. */
function recordInput(cases: RecordCase[]): string {
  return cases.map((c, i) => {
    const content = c.elements.map((e) => `${e}\u0001`).join('')
    return content.split('\n').map((line) => `${100 + i}/${c.file}:${line}\n`).join('')
  }).join('')
}

function recordOutput(output: string, cases: RecordCase[]): string[][] {
  const lines = output.split('\n').filter(Boolean)
  expect(lines).toHaveLength(cases.length)
  return lines.map((line, i) => {
    const prefix = `${100 + i}/${cases[i]!.file}:`
    expect(line.startsWith(prefix)).toBe(true)
    const parts = line.slice(prefix.length).split('\u0001').map((e) => e.replace(/\u0002/g, '\n'))
    if (parts[parts.length - 1] === '') parts.pop()
    return parts
  })
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return realpathSync(file)
    } catch {
      // not in this directory
    }
  }
  return undefined
}

interface Tool {
  label: string
  argv: string[]
}

function shells(): Tool[] {
  const out: Tool[] = [{label: 'sh', argv: ['sh', '-c']}]
  const sh = onPath('sh')
  const dash = onPath('dash')
  if (dash && dash !== sh) out.push({label: 'dash', argv: [dash, '-c']})
  const bash = onPath('bash')
  if (bash) out.push({label: 'bash --posix', argv: [bash, '--posix', '-c']})
  const busybox = onPath('busybox')
  if (busybox) out.push({label: 'busybox sh', argv: [busybox, 'sh', '-c']})
  return out
}

/** Each awk as a shell function named awk, which the probe's redact_* functions then call. */
function awks(): Tool[] {
  const out: Tool[] = []
  const seen = new Set<string>()
  for (const name of ['awk', 'mawk', 'gawk', 'original-awk', 'nawk']) {
    const path = onPath(name)
    if (!path || seen.has(path) || path.endsWith('/busybox')) continue
    seen.add(path)
    out.push({label: name === 'awk' ? `awk (${path})` : name, argv: [path]})
  }
  const busybox = onPath('busybox')
  if (busybox) out.push({label: 'busybox awk', argv: [busybox, 'awk']})
  return out
}

function runProbe(shell: Tool, awk: Tool, fn: string, input: string): string {
  const quoted = awk.argv.map((a) => `'${a}'`).join(' ')
  return execFileSync(shell.argv[0]!, [...shell.argv.slice(1), `awk() { ${quoted} "$@"; }; . ./src/collect/probe/probe.sh; ${fn}`], {
    cwd: REPO,
    env: {...process.env, HOIST_PROBE_LIBRARY: '1'},
    input,
    encoding: 'latin1',
  })
}

describe('redaction in TypeScript', () => {
  it.each(LINE_CASES)('redactLine: $input', (c) => {
    const out = redactLine(c.input)
    expect(out).toBe(c.expected)
    for (const s of c.secrets) expect(out).not.toContain(s)
  })

  it.each(RECORD_CASES)('$file record: $elements', (c) => {
    const out = tsRecord(c)
    expect(out).toEqual(c.expected)
    for (const s of c.secrets) expect(out.join('\u0001')).not.toContain(s)
  })
})

const SHELLS = shells()
const AWKS = awks()
const COMBINATIONS = SHELLS.flatMap((shell) => AWKS.map((awk) => ({label: `${shell.label} + ${awk.label}`, shell, awk})))

describe('redaction in the probe (awk, run for real)', () => {
  it('has at least one shell and one awk to run it with', () => {
    expect(SHELLS.length).toBeGreaterThan(0)
    expect(AWKS.length).toBeGreaterThan(0)
  })

  describe.each(COMBINATIONS)('$label', ({shell, awk}) => {
    it('redact_lines matches redactLine on every line case', () => {
      const out = runProbe(shell, awk, 'redact_lines', LINE_CASES.map((c) => `${c.input}\n`).join(''))
      const lines = out.split('\n')
      expect(lines.pop()).toBe('')
      // One stream: a key opened on one line is still open on the next, as redactLines reads it.
      expect(lines).toEqual(redactLines(LINE_CASES.map((c) => c.input)))
      for (const [i, c] of LINE_CASES.entries()) for (const s of c.secrets) expect(lines[i]).not.toContain(s)
    })

    it('redact_lines matches redactLine on 1500 random lines', () => {
      const out = runProbe(shell, awk, 'redact_lines', RANDOM_LINES.map((l) => `${l}\n`).join(''))
      const lines = out.split('\n')
      expect(lines.pop()).toBe('')
      const differ = RANDOM_LINES.map((l, i) => ({input: l, awk: lines[i], ts: redactLine(l)})).filter((d) => d.awk !== d.ts)
      expect(differ).toEqual([])
    })

    it('redact_records matches redactArgv on 300 random argv', () => {
      const cases: RecordCase[] = RANDOM_ARGVS.map((elements) => ({file: 'cmdline', elements, expected: [], secrets: []}))
      const records = recordOutput(runProbe(shell, awk, 'redact_records', recordInput(cases)), cases)
      const differ = RANDOM_ARGVS.map((argv, i) => ({argv, awk: records[i], ts: redactArgv(argv)})).filter((d) => JSON.stringify(d.awk) !== JSON.stringify(d.ts))
      expect(differ).toEqual([])
    })

    it('redact_prefixed keeps the "file:" prefix and redacts the rest as a line', () => {
      const prefix = '/etc/systemd/system/app.service:'
      const out = runProbe(shell, awk, 'redact_prefixed', LINE_CASES.map((c) => `${prefix}${c.input}\n`).join(''))
      expect(out.split('\n').slice(0, -1)).toEqual(redactLines(LINE_CASES.map((c) => c.input)).map((l) => `${prefix}${l}`))
    })

    it('redact_records joins multi-line values and matches the TypeScript rules element by element', () => {
      const out = runProbe(shell, awk, 'redact_records', recordInput(RECORD_CASES))
      const records = recordOutput(out, RECORD_CASES)
      expect(records).toEqual(RECORD_CASES.map((c) => c.expected))
      expect(records).toEqual(RECORD_CASES.map(tsRecord))
      for (const c of RECORD_CASES) for (const s of c.secrets) expect(out).not.toContain(s)
    })
  })
})

describe('names that describe a secret without holding one', () => {
  it('keep their values', () => {
    for (const e of ['-Djdk.tls.ephemeralDHKeySize=2048', 'SSL_KEY_FILE=/etc/ssl/private/app.key', 'DB_PASSWORD_FILE=/run/secrets/db', 'KEY_TYPE=rsa']) {
      expect(redactElement(e)).toBe(e)
    }
    expect(redactLine('ssl_keystore = /etc/app/keystore.jks')).toBe('ssl_keystore = /etc/app/keystore.jks')
    expect(redactElement('KEYSTORE_PASSWORD=changeit')).toBe('KEYSTORE_PASSWORD=<redacted>')
  })
})

describe('a private key written over several lines of a file', () => {
  const file = ['APP_MODE=batch', 'TLS_KEY="-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'Zm9vYmFyYmF6cXV4cXV1eA==', '-----END PRIVATE KEY-----"', 'APP_PORT=8080']
  const expected = ['APP_MODE=batch', '<redacted>', '<redacted>', '<redacted>', '<redacted>', 'APP_PORT=8080']

  it('loses every line of the key in Hoist', () => {
    expect(redactLines(file)).toEqual(expected)
  })

  it('loses every line of the key in the probe, on the host', () => {
    const out = execFileSync('sh', ['-c', '. ./src/collect/probe/probe.sh; redact_lines'], {input: `${file.join('\n')}\n`, env: {...process.env, HOIST_PROBE_LIBRARY: '1'}}).toString()
    expect(out.trimEnd().split('\n')).toEqual(expected)
  })
})
