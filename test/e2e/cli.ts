import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

/** The `hoist` command npm installs (bin/hoist, which starts bin/run.js). */
export const BIN = fileURLToPath(new URL('../../bin/hoist', import.meta.url))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built `hoist` binary (npm run build first), as a user would, with no terminal. */
export function hoist(args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, SSH_AUTH_SOCK: ''}})
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
  })
}
