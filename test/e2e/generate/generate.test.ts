// `hoist generate` through the built binary on the bundled example: a host scanned from a saved
// probe output, its files from a folder (as an air-gapped host provides them).
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import {beforeAll, describe, expect, it} from 'vitest'
import type {Artifacts} from '../../../src/types/artifacts.js'
import {hoist} from '../cli.js'

const EXAMPLE = 'examples/debian12-web'
const SECRET = 's3cr3t-Planted-7f2c9a'
let out: string
let stdout: string

beforeAll(async () => {
  out = join(mkdtempSync(join(tmpdir(), 'hoist-generate-')), 'out')
  for (const args of [
    ['scan', '--from', `${EXAMPLE}/probe-output.txt`, '--name', 'web', '--out', out],
    ['plan', '--out', out],
  ]) {
    const r = await hoist(args)
    expect(r.code, r.stderr).toBe(0)
  }
  const r = await hoist(['generate', '--out', out, '--files', `${EXAMPLE}/files`, '--target', 'k8s'])
  expect(r.code, r.stderr).toBe(0)
  stdout = r.stdout
}, 120_000)

describe('hoist generate on the bundled example', () => {
  it('writes a Dockerfile, .dockerignore and build context per application, and the host files', () => {
    const artifacts = JSON.parse(readFileSync(join(out, 'hosts/web/artifacts.json'), 'utf8')) as Artifacts
    expect(artifacts.services.map((s) => s.name).sort()).toEqual(['app', 'export', 'export-2', 'nginx', 'postgresql', 'redis'])
    for (const s of artifacts.services) {
      for (const f of ['Dockerfile', '.dockerignore']) expect(existsSync(join(out, 'hosts/web', s.context, f)), `${s.name}/${f}`).toBe(true)
    }
    expect(readFileSync(join(out, 'hosts/web/services/nginx/rootfs/var/www/html/index.html'), 'utf8')).toContain('hoist-fixture-site-7d41')
    for (const f of ['compose.yaml', 'linuxkit.yml', 'kubernetes.yaml']) expect(existsSync(join(out, 'hosts/web', f)), f).toBe(true)
    expect(parse(readFileSync(join(out, 'hosts/web/compose.yaml'), 'utf8')).services.nginx.build.context).toBe('services/nginx')
    expect(stdout).toMatch(/✓ app → services\/app\/Dockerfile \(.*secrets at run time: BILLING_DB_PASSWORD, DB_PASSWORD\)/)
  })

  it('finds the config the app names only in its code, and leaves its secret on the host', () => {
    const conf = readFileSync(join(out, 'hosts/web/services/app/rootfs/etc/billing/app.conf'), 'utf8')
    expect(conf).toContain('db_password = @@HOIST_SECRET:DB_PASSWORD@@')
    const report = JSON.parse(readFileSync(join(out, 'hosts/web/services/app/context.json'), 'utf8'))
    expect(report.discovered).toContainEqual(expect.objectContaining({path: '/etc/billing/app.conf', copied: true, namedIn: {file: '/opt/billing/app.py', line: 8}}))
    // The program is copied as it is: its own `db_password = os.environ...` is code, not a value.
    expect(readFileSync(join(out, 'hosts/web/services/app/rootfs/opt/billing/app.py'), 'utf8')).toContain("db_password = os.environ.get('BILLING_DB_PASSWORD')")
    expect(spawnSync('grep', ['-rl', SECRET, out], {encoding: 'utf8'}).stdout).toBe('')
  })

  it('writes a migration step for each service with data, executable, read-only on the source', () => {
    const pg = join(out, 'hosts/web/services/postgresql/migrate.sh')
    expect(statSync(pg).mode & 0o111).not.toBe(0)
    expect(readFileSync(pg, 'utf8')).toContain('pg_dumpall')
    expect(readFileSync(join(out, 'hosts/web/services/nginx/migrate.sh'), 'utf8')).toContain('tar -C / -cf - var/www')
    expect(existsSync(join(out, 'hosts/web/services/app/migrate.sh'))).toBe(false)
  })
})
