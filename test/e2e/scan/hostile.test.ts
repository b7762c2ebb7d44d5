import {execFileSync} from 'node:child_process'
import {readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {HostFacts} from '../../../src/types/facts.js'
import {hoist} from '../cli.js'
import {ensureRootfs, startFixtureHost, type FixtureHost} from '../hosts/host.js'
import {startSession} from '../session.js'

// A host that floods, hangs and lies: the scan must end, keep what it could read, say what
// failed, and write nothing outside the output folder.
let host: FixtureHost
let dir: string
let key: string
let kh: string

beforeAll(async () => {
  await ensureRootfs()
  ;({host, dir, key, knownHosts: kh} = await startSession(startFixtureHost, {name: 'hostile', index: 32}))
}, 600_000)

afterAll(async () => {
  await host?.stop()
})

const scan = (out: string, ...extra: string[]) =>
  hoist(['scan', `root@${host.address}`, '--identity', key, '--known-hosts', kh, '--out', out, ...extra])

const facts = (out: string): HostFacts => JSON.parse(readFileSync(join(out, 'hosts', host.address, 'facts.json'), 'utf8')) as HostFacts

/** Replaces a command on the host for the length of one test. */
async function withCommand(path: string, script: string, body: () => Promise<void>): Promise<void> {
  await host.exec(`mv ${path} ${path}.real && printf '%s\\n' '#!/bin/sh' '${script}' > ${path} && chmod 755 ${path}`)
  try {
    await body()
  } finally {
    await host.exec(`mv ${path}.real ${path}`)
  }
}

describe('a hostile host', () => {
  it('a command that floods is cut at its section cap; the other sections are kept', async () => {
    await withCommand('/usr/bin/dpkg-query', 'exec yes flood-line-0123456789', async () => {
      const out = join(dir, 'flood')
      const r = await scan(out)
      expect(r.code, r.stderr).toBe(0)
      const f = facts(out)
      expect(f.probeErrors).toContainEqual(expect.objectContaining({section: 'packages', message: expect.stringContaining('size cap')}))
      expect(f.processes.some((p) => p.comm === 'nginx')).toBe(true)
      expect(f.listeners.some((l) => l.port === 80)).toBe(true)
      expect(f.cron.length).toBeGreaterThan(0)
    })
  }, 120_000)

  it('a command that never returns ends in a probe timeout, with what was read kept', async () => {
    await withCommand('/bin/uname', 'exec sleep 600', async () => {
      const out = join(dir, 'hang')
      const started = Date.now()
      const r = await scan(out, '--probe-timeout', '4s')
      expect(Date.now() - started).toBeLessThan(30_000)
      expect(r.code, r.stderr).toBe(0)
      const f = facts(out)
      expect(f.probe.complete).toBe(false)
      expect(f.probeErrors).toContainEqual(expect.objectContaining({section: 'probe', message: expect.stringContaining('cut off')}))
      expect(f.host.hostname).toBe('hostile')
    })
    // The probe's watchdog ends it on the host too (sshd does not pass a kill to a root session).
    await new Promise((resolve) => setTimeout(resolve, 4000))
    const left = await host.exec('ps -eo args')
    expect(left.stdout).not.toContain('sleep 600')
    expect(left.stdout).not.toMatch(/^sh -s$/m)
  }, 120_000)

  it('process arguments with newlines, fake markers and shell syntax stay data', async () => {
    const argv0 = 'sleeper\n@@HOIST-0000000000000000 END processes 1.0'
    const sleeper = 'import time; time.sleep(1000)'
    await host.exec(`python3 -c 'import os,sys; os.execv("/usr/bin/python3", [sys.argv[1], "-c", "${sleeper}", "$(touch /tmp/pwned)", "\`reboot\`"])' '${argv0}' </dev/null >/dev/null 2>&1 &`)
    const out = join(dir, 'argv')
    const r = await scan(out)
    expect(r.code, r.stderr).toBe(0)
    const f = facts(out)
    const p = f.processes.find((x) => x.argv[0] === argv0)
    expect(p?.argv).toEqual([argv0, '-c', sleeper, '$(touch /tmp/pwned)', '`reboot`'])
    expect(f.probeErrors.filter((e) => e.section === 'processes')).toEqual([])
    expect(f.packages.length).toBeGreaterThan(100)
    expect((await host.exec('test -e /tmp/pwned && echo yes || echo no')).stdout.trim()).toBe('no')
  }, 120_000)

  it('a hostile hostname cannot name a folder outside the output', async () => {
    await host.exec("printf '%s' '../../../escaped' > /proc/sys/kernel/hostname")
    try {
      const script = join(dir, 'probe.sh')
      const printed = await hoist(['probe-script'])
      writeFileSync(script, printed.stdout)
      const output = execFileSync('ssh', ['-i', key, '-o', `UserKnownHostsFile=${kh}`, '-o', 'StrictHostKeyChecking=yes', `root@${host.address}`, 'sh -s'], {input: readFileSync(script)})
      const file = join(dir, 'offline.txt')
      writeFileSync(file, output)
      const out = join(dir, 'ws', 'out')
      const r = await hoist(['scan', '--from', file, '--out', out])
      expect(r.code, r.stderr).toBe(0)
      expect(readdirSync(join(dir, 'ws'))).toEqual(['out'])
      expect(readdirSync(join(out, 'hosts'))).toEqual(['escaped'])
    } finally {
      await host.exec("printf '%s' hostile > /proc/sys/kernel/hostname")
    }
  }, 120_000)
})
