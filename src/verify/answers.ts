/**
 * How a service answers, asked from inside its own network namespace: a shell one-liner run with
 * `exec` in the container (or in the original host, by a test), so the check needs no published
 * port, no network setup and no client tool beyond bash, which Debian and RHEL images have.
 */
import type {Answer, Question} from '../types/artifacts.js'
import type {Service} from '../types/plan.js'
import {retryUntil} from './retry.js'

export type {Answer, Question} from '../types/artifacts.js'

/** The argv that asks the question (run by exec in the container or the host). */
export function questionArgv(q: Question): string[] {
  switch (q.type) {
    case 'http':
      // HTTP/1.0 so the server closes when done and never chunks; 5 s to read everything.
      return ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${q.port} && printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' "$1" >&3 && timeout 5 cat <&3`, 'hoist', q.path]
    case 'tcp':
      // Connect, then read whatever the server says first (a banner) for up to a second.
      return ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${q.port} && { timeout 1 head -c 512 <&3 || true; }`]
    case 'command':
      return q.command
  }
}

/** The raw output of questionArgv, as an answer. */
export function readAnswer(q: Question, exitCode: number | null, stdout: Buffer): Answer {
  const text = stdout.toString('utf8')
  if (q.type === 'command') return {ok: exitCode === 0, status: exitCode ?? -1, body: text.trim(), detail: `exit ${exitCode}`}
  if (q.type === 'tcp') return {ok: exitCode === 0, body: text, detail: exitCode === 0 ? `port ${q.port} accepts connections` : `port ${q.port} refused`}
  const split = text.indexOf('\r\n\r\n')
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(text)
  if (!status) return {ok: false, body: '', detail: exitCode === 0 ? `port ${q.port} did not answer HTTP` : `port ${q.port} refused`}
  const code = Number(status[1])
  return {ok: code < 500, status: code, body: split < 0 ? '' : text.slice(split + 4), detail: `HTTP ${code} for ${q.path}`}
}

/** Whether two answers say the same thing: same status and the same body (or PONG for PONG). */
export function sameAnswer(a: Answer, b: Answer): boolean {
  return a.ok === b.ok && a.status === b.status && a.body === b.body
}

/** The question a plan's health check implies: what verify asks the container and, once, the original. */
export function questionFor(check: Service['healthcheck']): Question | undefined {
  if (!check) return undefined
  if (check.type === 'http') return {type: 'http', port: check.port, path: check.path}
  if (check.type === 'tcp') return {type: 'tcp', port: check.port}
  return {type: 'command', command: check.command}
}

/**
 * Asks until the answer is a good one or time runs out: a port can accept connections (the health
 * check passes) a few seconds before the application behind it answers (Tomcat deploying its apps).
 */
export async function askPatiently(ask: () => Promise<Answer>, timeoutMs = 60_000): Promise<Answer> {
  return retryUntil(ask, (answer) => answer.ok, {timeoutMs, intervalMs: 2000})
}
