import {describe, expect, it} from 'vitest'
import {detect} from '../../../src/detect/engine.js'
import {loadRules} from '../../../src/detect/load.js'
import {loadExampleFacts} from '../../../src/detect/rule-test.js'
import type {HostFacts} from '../../../src/types/facts.js'

const EXAMPLE = 'examples/debian12-web/probe-output.txt'

describe('detect on a real captured host', () => {
  it('finds each application with its evidence, and leaves the OS plumbing out', async () => {
    const inv = detect(await loadExampleFacts(EXAMPLE), await loadRules())
    const nginx = inv.workloads.find((w) => w.rule === 'web/nginx')!
    expect(nginx.processes.length).toBe(3) // master and two workers: one workload
    expect(nginx.evidence).toContainEqual(expect.objectContaining({field: 'ports', fact: expect.stringMatching(/^listeners\[tcp 0\.0\.0\.0:80\]/)}))
    expect(nginx.version).toMatch(/^1\.22\./)
    const app = inv.workloads.find((w) => w.rule === 'runtime/python')!
    expect(app.secrets).toEqual(['BILLING_DB_PASSWORD'])
    expect(app.environment.BILLING_DB_PASSWORD).toBe('<redacted>')
    expect(inv.system.map((s) => s.rule).sort()).toEqual(['system/cron-daemon', 'system/cron-housekeeping', 'system/openssh-server'])
    expect(inv.unclaimed.ports).toEqual([])
  })

  it('without a matching rule, a listening process falls to the fallback and nothing is dropped', async () => {
    const facts = structuredClone(await loadExampleFacts(EXAMPLE)) as HostFacts
    const rules = (await loadRules()).rules.filter((r) => r.id !== 'cache/redis')
    const inv = detect(facts, {rules, sha256: 'x'})
    const redis = inv.workloads.find((w) => w.ports.some((p) => p.port === 6379))!
    expect(redis.rule).toBe('generic/listening-process')
    expect(redis.confidence).toBeLessThan(0.5)
  })

  it('lists unclaimed processes and ports rather than hiding them', async () => {
    const facts = structuredClone(await loadExampleFacts(EXAMPLE)) as HostFacts
    facts.listeners.push({protocol: 'tcp', address: '0.0.0.0', port: 9999, inode: 1})
    const inv = detect(facts, await loadRules())
    expect(inv.unclaimed.ports).toContainEqual({protocol: 'tcp', address: '0.0.0.0', port: 9999})
    expect(inv.unclaimed.processes.map((p) => p.comm)).toContain('sleep')
  })

  it('finds dependencies from connections and from configuration, and flags blockers', async () => {
    const facts = structuredClone(await loadExampleFacts(EXAMPLE)) as HostFacts
    const app = facts.processes.find((p) => p.argv.includes('/opt/billing/app.py'))!
    facts.connections.push({protocol: 'tcp', localAddress: '127.0.0.1', localPort: 41000, peerAddress: '127.0.0.1', peerPort: 5432, pid: app.pid})
    facts.connections.push({protocol: 'tcp', localAddress: '10.1.2.3', localPort: 41001, peerAddress: '10.9.9.9', peerPort: 1521, pid: app.pid})
    app.env = {...app.env, DISPLAY: ':0', CACHE_URL: 'redis://localhost:6379/0', LEDGER_API: 'https://ledger.corp.example:8443/v2'}
    const w = detect(facts, await loadRules()).workloads.find((x) => x.rule === 'runtime/python')!
    expect(w.dependencies).toEqual([
      expect.objectContaining({kind: 'workload', target: 'postgresql', port: 5432}),
      expect.objectContaining({kind: 'external', target: '10.9.9.9:1521'}),
      expect.objectContaining({kind: 'workload', target: 'redis', port: 6379, evidence: 'environment CACHE_URL: redis://localhost:6379'}),
      expect.objectContaining({kind: 'external', target: 'ledger.corp.example:8443'}),
    ])
    expect(w.blockers).toContainEqual(expect.objectContaining({code: 'gui', severity: 'blocking'}))
  })

  it('warns when a data path was listed but not sized within the scan\'s time budget', async () => {
    const facts = structuredClone(await loadExampleFacts(EXAMPLE)) as HostFacts
    const sized = detect(facts, await loadRules()).workloads.find((x) => x.rule === 'db/postgresql')!
    expect(sized.blockers.map((b) => b.code)).not.toContain('data-unsized')
    const volume = sized.dataPaths.find((p) => p.sizeBytes !== undefined)!
    delete facts.dataPaths.find((d) => d.path === volume.path)!.sizeBytes
    const w = detect(facts, await loadRules()).workloads.find((x) => x.rule === 'db/postgresql')!
    expect(w.blockers).toContainEqual(expect.objectContaining({code: 'data-unsized', severity: 'warning', message: expect.stringContaining(volume.path)}))
  })

  it('flags an end-of-life OS', async () => {
    const facts = structuredClone(await loadExampleFacts(EXAMPLE)) as HostFacts
    facts.os.versionId = '10'
    const inv = detect(facts, await loadRules(), new Date('2026-11-22T00:00:00Z'))
    expect(inv.os.endOfLife).toBe('2024-06-30')
    expect(inv.blockers).toContainEqual(expect.objectContaining({code: 'eol-os'}))
  })
})
