import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ensureRootfs, startFixtureHost} from '../hosts/host.js'
import {startSession, type Session} from '../session.js'

// The batch view as a person sees it: the real binary in a real terminal (tmux), read off the screen.
const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))
let s: Session

beforeAll(async () => {
  await ensureRootfs()
  s = await startSession(startFixtureHost, {name: 'live-tty', index: 48})
}, 600_000)

afterAll(async () => {
  try {
    execFileSync('tmux', ['kill-session', '-t', 'hoist-live'], {stdio: 'ignore'})
  } catch {
    // already gone
  }
  await s?.host.stop()
})

describe('a batch on a terminal', () => {
  it('shows a live line per host with its outcome, then the summary', async () => {
    const inventory = join(s.dir, 'hosts.csv')
    writeFileSync(inventory, `name,host,user,port\nweb-a,${s.host.address},root,22\nrefusing,${s.host.address},root,2222\n`)
    const command = `${process.execPath} ${BIN} scan --inventory ${inventory} --identity ${s.key} --known-hosts ${s.knownHosts} --out ${join(s.dir, 'out')} --retries 0; echo "EXIT=$?"; sleep 60`
    execFileSync('tmux', ['new-session', '-d', '-s', 'hoist-live', '-x', '160', '-y', '20', command])
    let screen = ''
    for (let i = 0; i < 100 && !screen.includes('EXIT='); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      screen = execFileSync('tmux', ['capture-pane', '-p', '-t', 'hoist-live']).toString()
    }
    expect(screen).toMatch(/✔ web-a: scanned in \d+\.\d s/)
    expect(screen).toMatch(/✖ refusing: failed after \d+\.\d s/)
    expect(screen).toContain('SSH_REFUSED')
    expect(screen).toMatch(/2 hosts: 1 scanned, 1 failed, 0 skipped/)
    expect(screen).toContain('EXIT=3')
  }, 60_000)
})
