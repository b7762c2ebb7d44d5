import {fetchPaths} from './collect/fetch/fetch.js'
import type {HostExec, Opened} from './collect/fetch/open.js'
import type {FetchCaps} from './collect/fetch/report.js'
import {isHoistError} from './errors.js'
import {renderCompose, serialiseCompose} from './render/compose/compose.js'
import {generateHost} from './render/host.js'
import {renderKubernetes, serialiseKubernetes} from './render/kubernetes/kubernetes.js'
import {renderLinuxkit, serialiseLinuxkit} from './render/linuxkit/linuxkit.js'
import type {Artifacts} from './types/artifacts.js'
import type {HostFacts} from './types/facts.js'
import type {Plan} from './types/plan.js'
import {shellLine} from './shell.js'
import {questionArgv, questionFor, readAnswer} from './verify/answers.js'
import {contextSink} from './workspace/context.js'
import {loadFacts} from './workspace/hosts.js'
import {loadPlan} from './workspace/plan-file.js'
import {resetServiceDir, serviceDir, writeArtifacts, writeFetchReport, writeHostFile, writeServiceFiles} from './workspace/services.js'

export type Target = 'compose' | 'linuxkit' | 'k8s'

export interface GenerateOptions {
  caps: Partial<FetchCaps>
  /** compose.yaml and linuxkit.yml are always written; k8s adds kubernetes.yaml. */
  targets: Target[]
  open(facts: HostFacts): Promise<Opened>
  say(line: string): void
}

export interface HostGenerated {
  host: string
  services: {name: string; image: string; context: string; files: number; bytes: number; secrets: string[]; capsHit: number; skipped: number}[]
  skipped: {service: string; reason: string}[]
  findings: {service: string; rule: string; line: number; message: string}[]
  source: string
  /** Host-level files written: compose.yaml, linuxkit.yml, kubernetes.yaml. */
  substrate: string[]
}

/**
 * One host: plan.yaml + facts.json → build contexts and Dockerfiles, written to the workspace. The
 * host's files are read through one source, opened only when some service has files to copy.
 */
export async function generateForHost(out: string, host: string, options: GenerateOptions): Promise<HostGenerated> {
  const plan = await loadPlan(out, host)
  const facts = await loadFacts(out, host)
  let opened: Opened | undefined
  const source = async () => (opened ??= await options.open(facts))
  try {
    const outcome = await generateHost(plan, facts, {
      reset: (service) => resetServiceDir(serviceDir(out, host, service)),
      async fetch(service, requests, exclude) {
        const o = await source()
        if (!o.source) return undefined
        return fetchPaths(o.source, requests, contextSink(serviceDir(out, host, service)), {...options.caps, exclude})
      },
      async write(service, files, report) {
        const dir = serviceDir(out, host, service)
        await writeServiceFiles(dir, files)
        if (report) await writeFetchReport(dir, report)
      },
    })
    if (opened && 'exec' in opened && opened.exec) await recordOriginals(plan, outcome.artifacts, opened.exec, opened.user)
    await writeArtifacts(out, outcome.artifacts)
    const substrate: string[] = []
    const write = async (name: string, content: string) => {
      await writeHostFile(out, host, name, content)
      substrate.push(name)
    }
    await write('compose.yaml', serialiseCompose(renderCompose(outcome.artifacts, plan, facts), outcome.artifacts))
    await write('linuxkit.yml', serialiseLinuxkit(renderLinuxkit(outcome.artifacts, plan, facts), outcome.artifacts))
    if (options.targets.includes('k8s')) await write('kubernetes.yaml', serialiseKubernetes(renderKubernetes(outcome.artifacts, plan), outcome.artifacts))
    const result: HostGenerated = {
      host,
      services: outcome.artifacts.services.map((s) => {
        const report = outcome.reports.find((r) => r.service === s.name)?.report
        return {name: s.name, image: s.image, context: s.context, files: report?.files.length ?? 0, bytes: report?.bytes ?? 0, secrets: s.secrets.map((x) => x.name), capsHit: report?.capsHit.length ?? 0, skipped: report?.skipped.length ?? 0}
      }),
      skipped: outcome.artifacts.skipped,
      findings: outcome.findings.map((f) => ({service: f.service, ...f.finding})),
      source: opened ? ('how' in opened ? opened.how : `none: ${opened.why}`) : 'not needed',
      substrate,
    }
    report(result, options.say)
    return result
  } catch (error) {
    if (isHoistError(error) && !error.host) Object.assign(error, {host})
    throw error
  } finally {
    if (opened?.source) await opened.source.close()
  }
}

/**
 * Asks each original service, once, the question verify will ask its container (the health check's
 * HTTP GET, TCP connect or protocol ping), with a read-only one-liner on the host. A command check is
 * asked only when the login can run it as the service's user (root, or that user).
 */
async function recordOriginals(plan: Plan, artifacts: Artifacts, exec: HostExec, login: string | undefined): Promise<void> {
  for (const generated of artifacts.services) {
    const question = questionFor(plan.services.find((s) => s.name === generated.name)?.healthcheck)
    if (!question) continue
    const user = generated.user.name
    let line = shellLine(questionArgv(question))
    if (question.type === 'command' && login !== user) {
      if (login !== 'root') continue
      line = `runuser -u ${user} -- ${line}`
    }
    const r = await exec(line).catch(() => undefined)
    if (!r) continue
    const answer = readAnswer(question, r.code, r.stdout)
    if (answer.ok) generated.original = {question, answer, recordedAt: new Date().toISOString()}
  }
}

function report(result: HostGenerated, say: (line: string) => void): void {
  say(`${result.host}: ${result.services.length} service(s) generated, files from ${result.source}`)
  for (const s of result.services) {
    const notes = [
      `${s.files} file(s), ${(s.bytes / 1024).toFixed(0)} KiB`,
      s.secrets.length ? `secrets at run time: ${s.secrets.join(', ')}` : '',
      s.capsHit ? `${s.capsHit} size cap(s) hit — see context.json` : '',
      s.skipped ? `${s.skipped} path(s) not copied — see context.json` : '',
    ].filter(Boolean)
    say(`  ✓ ${s.name} → ${s.context}/Dockerfile (${notes.join('; ')})`)
  }
  if (result.substrate.length > 0) say(`  → ${result.substrate.map((f) => `hosts/${result.host}/${f}`).join(', ')}`)
  for (const s of result.skipped) say(`  ✗ ${s.service}: not generated — ${s.reason}`)
  for (const f of result.findings) say(`  ! ${f.service}: Dockerfile line ${f.line}: [${f.rule}] ${f.message}`)
}
