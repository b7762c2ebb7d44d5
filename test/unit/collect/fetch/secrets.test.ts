import {describe, expect, it} from 'vitest'
import {dirSource} from '../../../../src/collect/fetch/dir-source.js'
import {fetchPaths} from '../../../../src/collect/fetch/fetch.js'
import {SecretNames, redactText} from '../../../../src/collect/fetch/secret-text.js'
import {allContent, hostTree, listTree, newSink} from './trees.js'

const PLANTED = 's3cr3t-Planted-7f2c9a'
const KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA${PLANTED}\n-----END OPENSSH PRIVATE KEY-----\n`

function redact(text: string, file = '/etc/app/app.conf', names = new SecretNames()): ReturnType<typeof redactText> {
  return redactText(text, file, names)
}

describe('placeholders', () => {
  it('take their name from the key the value was assigned to', () => {
    const cases: Array<[string, string]> = [
      ['db_password = x1', 'db_password = @@HOIST_SECRET:DB_PASSWORD@@'],
      ['app --password x2 --user bob', 'app --password @@HOIST_SECRET:PASSWORD@@ --user bob'],
      ['{"apiToken": "x3", "user": "u"}', '{"apiToken": "@@HOIST_SECRET:API_TOKEN@@", "user": "u"}'],
      ['DATABASE_URL=postgres://app:x4@db/app', 'DATABASE_URL=postgres://app:@@HOIST_SECRET:APP_URL_PASSWORD@@@db/app'],
      ['export TOKEN="two words"', 'export TOKEN="@@HOIST_SECRET:TOKEN@@"'],
      ["JAVA_OPTS=-Djavax.net.ssl.keyStorePassword=x5", 'JAVA_OPTS=-Djavax.net.ssl.keyStorePassword=@@HOIST_SECRET:JAVAX_NET_SSL_KEY_STORE_PASSWORD@@'],
      ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', 'Authorization: Bearer @@HOIST_SECRET:APP_SECRET_1@@'],
    ]
    for (const [input, expected] of cases) expect(redact(input).text, input).toBe(expected)
  })

  it('record name and line, never the value, and keep line endings and other bytes exactly', () => {
    const text = 'a=1\r\npassword: x1\r\ncaf\xe9=\xff\n'
    const result = redact(text)
    expect(result.text).toBe('a=1\r\npassword: @@HOIST_SECRET:PASSWORD@@\r\ncaf\xe9=\xff\n')
    expect(result.secrets).toEqual([{name: 'PASSWORD', line: 2}])
  })

  it('are one secret for the same key and value, and separate ones when the values differ', () => {
    const names = new SecretNames()
    expect(redact('db_password=same', '/etc/a.conf', names).secrets[0]?.name).toBe('DB_PASSWORD')
    expect(redact('db_password = "same"', '/etc/b.conf', names).text).toBe('db_password = "@@HOIST_SECRET:DB_PASSWORD@@"')
    expect(redact('db_password=other', '/etc/c.conf', names).secrets[0]?.name).toBe('DB_PASSWORD_2')
    expect(redact('AKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLX', '/etc/d.conf', names).text).toBe('@@HOIST_SECRET:D_SECRET_1@@ @@HOIST_SECRET:D_SECRET_2@@')
  })
})

describe('what is not a runtime parameter', () => {
  it('keeps an expression in source code: it is the program, not a value', () => {
    const line = "db_password = os.environ.get('BILLING_DB_PASSWORD') or conf['database']['db_password']"
    expect(redact(line, '/opt/billing/app.py')).toEqual({text: line, secrets: []})
  })

  it('still replaces a string literal in source code', () => {
    const r = redact("SECRET_KEY = 'k-9f8e7d'\nDATABASES = {'PASSWORD': \"pw-1a2b\"}", '/srv/site/settings.py')
    expect(r.text).not.toMatch(/k-9f8e7d|pw-1a2b/)
    expect(r.secrets.map((x) => x.name)).toEqual(['SECRET_KEY', 'PASSWORD'])
    expect(r.text).toContain("SECRET_KEY = '@@HOIST_SECRET:SECRET_KEY@@'")
  })

  it('redacts a commented-out value without making it a parameter', () => {
    const r = redact('# db_password = old-pw-77\nrequirepass live-pw-88', '/etc/redis/redis.conf')
    expect(r.text).toBe('# db_password = <redacted>\nrequirepass @@HOIST_SECRET:REQUIREPASS@@')
    expect(r.secrets).toEqual([{name: 'REQUIREPASS', line: 2}])
  })

  it('redacts values in commented-out XML blocks without making them parameters', () => {
    const r = redact('<!--\n  <user username="admin" password="ex-pw-1"/>\n-->\n<Connector certificateKeystorePassword="live-pw-2"/>', '/etc/tomcat10/server.xml')
    expect(r.text).not.toMatch(/ex-pw-1|live-pw-2/)
    expect(r.secrets.map((x) => x.line)).toEqual([4])
  })

  it('keeps an empty value: it hides nothing', () => {
    expect(redact("ssl_passphrase_command = ''", '/etc/postgresql/15/main/postgresql.conf')).toEqual({text: "ssl_passphrase_command = ''", secrets: []})
  })
})

describe('secrets in fetched files', () => {
  const tree = (): string =>
    hostTree({
      'etc/billing/app.conf': `[db]\nhost = db1\ndb_password = ${PLANTED}\n`,
      'etc/billing/settings.json': `{"apiToken": "${PLANTED}", "port": 8080}\n`,
      'etc/billing/run.sh': `#!/bin/sh\nexec billing --password ${PLANTED} --url postgres://bill:${PLANTED}@db/bill\n`,
      'etc/billing/.env': `DB_PASSWORD="${PLANTED}"\n`,
      'etc/billing/tls/server.key': 'not even pem, the name is enough\n',
      'etc/billing/tls/bundle.pem': `-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n${KEY}`,
      'etc/billing/deploy/id_ed25519': KEY,
      'etc/billing/deploy/id_ed25519.pub': 'ssh-ed25519 AAAA deploy\n',
      'etc/billing/keystore.jks': Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]),
    })

  it('never reach the context or the report; the placeholders and secret files are named', async () => {
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(tree()), [{path: '/etc/billing', role: 'config'}], sink)
    expect(allContent(rootfs)).not.toContain(PLANTED)
    expect(allContent(rootfs)).not.toContain('b3BlbnNzaC1rZXktdjE')
    expect(JSON.stringify(report)).not.toContain(PLANTED)
    const files = listTree(rootfs)
    expect(files['etc/billing/app.conf']?.content).toBe('[db]\nhost = db1\ndb_password = @@HOIST_SECRET:DB_PASSWORD@@\n')
    expect(files['etc/billing/settings.json']?.content).toBe('{"apiToken": "@@HOIST_SECRET:API_TOKEN@@", "port": 8080}\n')
    expect(files['etc/billing/run.sh']?.content).toContain('--password @@HOIST_SECRET:PASSWORD@@ --url postgres://bill:@@HOIST_SECRET:RUN_URL_PASSWORD@@@db/bill')
    expect(files['etc/billing/.env']?.content).toBe('DB_PASSWORD="@@HOIST_SECRET:DB_PASSWORD@@"\n')
    expect(report.secrets).toEqual([
      {name: 'DB_PASSWORD', file: '/etc/billing/.env', line: 1},
      {name: 'DB_PASSWORD', file: '/etc/billing/app.conf', line: 3},
      {name: 'PASSWORD', file: '/etc/billing/run.sh', line: 2},
      {name: 'RUN_URL_PASSWORD', file: '/etc/billing/run.sh', line: 2},
      {name: 'API_TOKEN', file: '/etc/billing/settings.json', line: 1},
    ])
    expect(report.files.find((f) => f.path === '/etc/billing/run.sh')?.redactions).toBe(2)
    expect(report.secretFiles).toEqual([
      {name: 'DEPLOY_ID_ED25519', path: '/etc/billing/deploy/id_ed25519'},
      {name: 'BILLING_KEYSTORE_JKS', path: '/etc/billing/keystore.jks'},
      {name: 'TLS_BUNDLE_PEM', path: '/etc/billing/tls/bundle.pem'},
      {name: 'TLS_SERVER_KEY', path: '/etc/billing/tls/server.key'},
    ])
    expect(files['etc/billing/deploy/id_ed25519.pub']?.type).toBe('file')
    for (const secret of report.secretFiles) expect(files[secret.path.slice(1)]).toBeUndefined()
  })
})
