import {spawnSync} from 'node:child_process'
import {mkdtempSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'
import {BIN} from '../cli.js'

describe('the hoist command (bin/hoist)', () => {
  it('starts through the links npm makes, absolute or relative', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoist-launcher-'))
    symlinkSync(BIN, join(dir, 'absolute'))
    symlinkSync(relative(dir, BIN), join(dir, 'relative'))
    symlinkSync(join(dir, 'relative'), join(dir, 'chained'))
    for (const link of ['absolute', 'relative', 'chained']) {
      const r = spawnSync(join(dir, link), ['--version'], {cwd: '/', encoding: 'utf8'})
      expect(r.stderr).toBe('')
      expect(r.stdout).toMatch(/^hoist\/\d+\.\d+\.\d+ /)
    }
  })

  it('starts Node without NODE_EXTRA_CA_CERTS, which Node 20 would load first', () => {
    // Node warns when it cannot load the file the variable names: no warning, no loading.
    const env = {...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/hoist-test-ca.pem'}
    const direct = spawnSync(process.execPath, ['-e', '0'], {env, encoding: 'utf8'})
    expect(direct.stderr).toContain('Ignoring extra certs from `/nonexistent/hoist-test-ca.pem`')
    const r = spawnSync(BIN, ['--version'], {env, encoding: 'utf8'})
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
  })
})
