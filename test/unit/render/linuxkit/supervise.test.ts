import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {shellWord} from '../../../../src/shell.js'
import {SUPERVISE_SCRIPT, supervisedCommand, SUPERVISOR_PATH} from '../../../../src/render/linuxkit/supervise.js'
import {makeService} from '../fixture-artifacts.js'

/** Runs the supervisor with /bin/sh for `ms`, then stops it as LinuxKit would (SIGTERM). */
async function supervise(args: string[], ms: number): Promise<{code: number | null; stderr: string}> {
  const dir = mkdtempSync(join(tmpdir(), 'supervise-'))
  const script = join(dir, 'supervise.sh')
  writeFileSync(script, SUPERVISE_SCRIPT)
  const child = spawn('/bin/sh', [script, ...args], {stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise((r) => setTimeout(r, ms))
  child.kill('SIGTERM')
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
  return {code, stderr}
}

describe('hoist-supervise (LinuxKit does not restart services)', () => {
  it('restarts a program that exits, backing off, and stops when told to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-'))
    const runs = join(dir, 'runs')
    const result = await supervise(['job', '', '0', '0', '0', '0', 'sh', '-c', `echo run >> ${runs}; exit 3`], 3500)
    // Runs at about 0 s, 1 s and 3 s: backoff 1 s, then 2 s.
    expect(readFileSync(runs, 'utf8').trim().split('\n').length).toBe(3)
    expect(result.stderr).toContain('hoist-supervise: job exited with status 3: starting it again in 1s')
    expect(result.code).toBe(143)
  })

  it('restarts a program whose health check keeps failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-'))
    const runs = join(dir, 'runs')
    const result = await supervise(['hung', 'false', '1', '1', '2', '0', 'sh', '-c', `echo run >> ${runs}; exec sleep 30`], 3500)
    expect(result.stderr).toContain('hoist-supervise: hung failed its health check 2 times: restarting it')
    expect(readFileSync(runs, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(2)
    expect(result.code).toBe(143)
  })

  it('wraps the service\'s command with its health check, quoted for sh', () => {
    const service = makeService('web', {
      command: ['/usr/sbin/nginx', '-g', 'daemon off;'],
      healthcheck: {test: ['bash', '-c', "exec 3<>/dev/tcp/127.0.0.1/80 && printf 'x'"], intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 10},
    })
    expect(supervisedCommand(service)).toEqual([
      '/bin/sh', SUPERVISOR_PATH, 'web', `bash -c 'exec 3<>/dev/tcp/127.0.0.1/80 && printf '\\''x'\\'''`, '30', '5', '3', '10',
      '/usr/sbin/nginx', '-g', 'daemon off;',
    ])
    expect(supervisedCommand(makeService('job')).slice(2, 8)).toEqual(['job', '', '0', '0', '0', '0'])
    expect(shellWord('redis-cli')).toBe('redis-cli')
  })
})
