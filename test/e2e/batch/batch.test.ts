import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {WorkspaceIndex} from '../../../src/workspace/index.js'
import {hoist} from '../cli.js'
import {ensureRootfs, startFixtureHost, type FixtureHost} from '../hosts/host.js'
import {startSession, type Session} from '../session.js'

// Two good hosts, one refusing connections (a real host, a closed port), one nobody answers
// for (an address on a link with no host behind it), from a CSV inventory.
let a: Session
let b: FixtureHost
let inventory: string
let out: string

beforeAll(async () => {
  await ensureRootfs()
  a = await startSession(startFixtureHost, {name: 'batch-a', index: 41})
  b = await startFixtureHost({name: 'batch-b', index: 42, authorizedKeys: [readFileSync(`${a.key}.pub`, 'utf8').trim()]})
  writeFileSync(a.knownHosts, `${a.host.knownHostsLine()}\n${b.knownHostsLine()}\n`)
  inventory = join(a.dir, 'hosts.csv')
  writeFileSync(inventory, [
    'name,host,user,port,tags',
    `web-a,${a.host.address},root,22,web;prod`,
    `web-b,${b.address},root,22,web`,
    `refusing,${a.host.address},root,2222,db`,
    `nobody,10.210.41.77,root,22,db`,
  ].join('\n'))
  out = join(a.dir, 'out')
}, 600_000)

afterAll(async () => {
  await a?.host.stop()
  await b?.stop()
})

const scan = (...extra: string[]) =>
  hoist(['scan', '--inventory', inventory, '--identity', a.key, '--known-hosts', a.knownHosts, '--out', out, '--connect-timeout', '3s', '--retries', '1', ...extra], 180_000)

const index = () => JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as WorkspaceIndex

describe('a batch scan of an inventory', () => {
  it('scans every good host, names each failure, and exits "partial"', async () => {
    const r = await scan()
    expect(r.code, r.stderr).toBe(3)
    const hosts = index().hosts
    expect(hosts['web-a']?.status).toBe('scanned')
    expect(hosts['web-b']?.status).toBe('scanned')
    expect(hosts.refusing).toMatchObject({status: 'failed', error: {code: 'SSH_REFUSED'}})
    expect(hosts.nobody?.status).toBe('failed')
    expect(['SSH_TIMEOUT', 'SSH_UNREACHABLE']).toContain(hosts.nobody?.error?.code)
    expect(r.stderr).toMatch(/nobody: .*retrying/)
    expect(r.stderr).not.toMatch(/refusing: .*retrying/)
    expect(r.stdout).toMatch(/4 hosts: 2 scanned, 2 failed, 0 skipped/)
    expect(JSON.parse(readFileSync(join(out, 'hosts/web-b/facts.json'), 'utf8')).host.hostname).toBe('batch-b')
  })

  it('a re-run skips what is done and tries the failed hosts again; --rescan scans all', async () => {
    const before = readFileSync(join(out, 'hosts/web-a/facts.json'), 'utf8')
    const again = await scan()
    expect(again.stdout).toMatch(/4 hosts: 0 scanned, 2 failed, 2 skipped/)
    expect(readFileSync(join(out, 'hosts/web-a/facts.json'), 'utf8')).toBe(before)
    const limited = await scan('--rescan', '--limit', 'web')
    expect(limited.code, limited.stderr).toBe(0)
    expect(limited.stdout).toMatch(/2 hosts: 2 scanned, 0 failed, 0 skipped/)
  })
})
