import type {GeneratedService} from '../types/artifacts.js'
import {askPatiently, questionArgv, readAnswer, sameAnswer, type Answer, type Question} from './answers.js'
import type {Engine} from './engine.js'
import {waitForHealth} from './health.js'

export interface VerifyOptions {
  host: string
  /** Folder of the service's build context. */
  context: string
  pull: 'never' | 'missing'
  network?: string
  /** NAME → file holding the value, for the service's secrets. */
  secrets: Record<string, string>
  healthTimeoutMs: number
  buildTimeoutMs: number
  keep: boolean
  onLine?: (line: string) => void
}

export interface ServiceCheck {
  host: string
  service: string
  image: string
  built: boolean
  started: boolean
  healthy: boolean | null
  ports: {port: number; ok: boolean}[]
  /** null when no answer of the original was recorded. */
  likeOriginal: boolean | null
  ok: boolean
  notes: string[]
}

/**
 * One generated service: build its image, run it, then check it from inside its own network
 * namespace: its health check passes, every port it exposes accepts connections, and it answers
 * the question the original answered (when generate recorded one) the same way.
 */
export async function verifyService(engine: Engine, service: GeneratedService, options: VerifyOptions): Promise<ServiceCheck> {
  const check: ServiceCheck = {host: options.host, service: service.name, image: service.image, built: false, started: false, healthy: null, ports: [], likeOriginal: null, ok: false, notes: []}
  const built = await engine.build({context: options.context, tag: service.image, pull: options.pull, timeoutMs: options.buildTimeoutMs, ...(options.onLine ? {onLine: options.onLine} : {})})
  check.built = built.ok
  if (!built.ok) return fail(check, `build failed: ${lastLines(built.log)}`)
  if (!engine.canRun) return fail(check, `built; not run: ${engine.whyCannotRun ?? `${engine.name} cannot run containers`}`)
  if (service.schedule) {
    check.ok = true
    check.notes.push(`scheduled job (${service.schedule}): built, not run (it acts on data); run it with the engine to try it`)
    return check
  }
  const missing = service.secrets.filter((s) => !options.secrets[s.name]).map((s) => s.name)
  if (missing.length > 0) check.notes.push(`secrets not supplied (--secrets DIR): ${missing.join(', ')}`)
  const name = `hoist-verify-${options.host}-${service.name}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')
  await engine.remove(name, {force: true})
  const started = await engine.run({image: service.image, name, detach: true, timeoutMs: 120_000, ...(options.network ? {network: options.network} : {}),
    secrets: Object.fromEntries(Object.entries(options.secrets).filter(([k]) => service.secrets.some((s) => s.name === k)))})
  check.started = started.ok
  try {
    if (!started.ok) return fail(check, `did not start: ${lastLines(started.log)}`)
    if (service.healthcheck) {
      const health = await waitForHealth(engine, name, {timeoutMs: options.healthTimeoutMs})
      check.healthy = health.status === 'healthy'
      if (!check.healthy) check.notes.push(`health check ${health.status}: ${lastLines(health.output)}; logs: ${lastLines(await engine.logs(name))}`)
    }
    for (const p of service.ports.filter((x) => x.protocol === 'tcp')) {
      const answer = await ask(engine, name, {type: 'tcp', port: p.port})
      check.ports.push({port: p.port, ok: answer.ok})
    }
    if (service.original) {
      const question = service.original.question
      const answer = await askPatiently(() => ask(engine, name, question))
      check.likeOriginal = sameAnswer(service.original.answer, answer)
      if (!check.likeOriginal) check.notes.push(`the original answered ${describe(service.original.answer)}; the container ${describe(answer)}`)
    }
    check.ok = check.healthy !== false && check.ports.every((p) => p.ok) && check.likeOriginal !== false
    return check
  } finally {
    if (!options.keep) await engine.remove(name, {force: true})
    else check.notes.push(`kept running as ${name}`)
  }
}

async function ask(engine: Engine, container: string, question: Question): Promise<Answer> {
  const r = await engine.exec(container, questionArgv(question), {timeoutMs: 30_000})
  return readAnswer(question, r.exitCode, r.stdout)
}

function describe(a: Answer): string {
  return `${a.detail}${a.body ? ` "${a.body.slice(0, 60).replace(/\s+/g, ' ')}${a.body.length > 60 ? '…' : ''}"` : ''}`
}

function fail(check: ServiceCheck, note: string): ServiceCheck {
  check.notes.push(note)
  check.ok = false
  return check
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ')
}
