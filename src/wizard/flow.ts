import {join} from 'node:path'
import {isHoistError} from '../errors.js'
import type {Plan} from '../types/plan.js'
import type {Prices as ReportPrices} from '../types/report.js'
import {ANSWERS_FILE, type AnswerSources} from './answers.js'
import {chooseServices, type Found} from './choose.js'
import type {QuestionContext} from './questions.js'
import {Resolver, type Asker} from './resolve.js'

export interface ScanRequest {
  target: string
  inventory: boolean
  /** Empty: ssh-agent and the default keys. */
  identity: string
  sudo: boolean
  sample: string
  out: string
  acceptNew: boolean
}

/** The prices the wizard asks for (the node price is left to hoist.yaml). */
export type Prices = Omit<ReportPrices, 'nodeHour'>

/** What generate wrote for a host, relative to the output folder. */
export interface Generated {
  host: string
  files: string[]
  skipped: {service: string; reason: string}[]
}

/** The side effects, so that the flow runs in tests without a host. */
export interface Steps {
  isFile(path: string): Promise<boolean>
  /** hoist.yaml's prices, as the questions' defaults. */
  priceDefaults(): Promise<QuestionContext['prices']>
  /** The workspace names of the hosts scanned. */
  scan(request: ScanRequest): Promise<string[]>
  plan(out: string, hosts: string[]): Promise<void>
  load(out: string, host: string): Promise<Found>
  /** Writes the edited plan.yaml; returns its path. */
  savePlan(out: string, plan: Plan): Promise<string>
  /** Returns where the prices went (hoist.yaml, or answers.yaml only). */
  savePrices(prices: Prices): Promise<string>
  saveAnswers(file: string, answers: Record<string, unknown>): Promise<void>
  generate(out: string, hosts: string[], identity: string): Promise<Generated[]>
  /** The report files written, or undefined when this Hoist has no report command. */
  report(out: string, hosts: string[]): Promise<string[] | undefined>
}

export interface WizardOptions {
  sources: AnswerSources
  interactive: boolean
  asker: Asker
  steps: Steps
}

export interface WizardResult {
  out: string
  hosts: string[]
  answersFile: string
  pricesFile: string
  generated: Generated[]
  report?: string[]
  /** The report step failed: what it said. Everything before it is in place. */
  reportFailed?: string
}

const PRICES = ['prices.currency', 'prices.vcpu-hour', 'prices.gib-hour']

/** target → auth → trust → sudo → sample → out; scan → plan → choices → prices → generate → report. */
export async function runWizard({sources, interactive, asker, steps}: WizardOptions): Promise<WizardResult> {
  const r = new Resolver(sources, interactive, asker)
  const ctx: QuestionContext = {prices: await steps.priceDefaults()}
  const target = (await r.answer('target', ctx)) as string | undefined
  if (target !== undefined) ctx.targetKind = (await steps.isFile(target)) ? 'inventory' : 'host'
  const identity = ((await r.answer('identity', ctx)) ?? '') as string
  // An inventory is scanned unattended: whether to trust new keys is asked before, for all.
  const trustAll = ctx.targetKind === 'inventory' ? await r.answer('trust-host-key', ctx) : undefined
  const sudo = (await r.answer('sudo', ctx)) === true
  const sample = (await r.answer('sample', ctx)) as string
  const out = (await r.answer('out', ctx)) as string
  // Without a terminal, every answer known to be needed is checked before any work starts.
  if (!interactive) for (const id of PRICES) await r.answer(id, ctx)
  r.requireAll()

  const answersFile = join(out, ANSWERS_FILE)
  try {
    const request: ScanRequest = {target: target!, inventory: ctx.targetKind === 'inventory', identity, sudo, sample, out, acceptNew: trustAll === true}
    const hosts = await scanTrusting(r, asker, steps, request, ctx)
    await steps.plan(out, hosts)
    const found = await Promise.all(hosts.map((h) => steps.load(out, h)))
    const changed = await chooseServices(r, asker, found, ctx)
    const prices: Record<string, unknown> = {}
    for (const id of PRICES) prices[id] = await r.answer(id, ctx)
    r.requireAll()
    const pricesFile = await steps.savePrices({currency: prices['prices.currency'] as string, vcpuHour: prices['prices.vcpu-hour'] as number, gibHour: prices['prices.gib-hour'] as number})
    for (const f of found) if (changed.has(f.plan.host)) asker.say(`✓ your choices are in ${await steps.savePlan(out, f.plan)}`)
    const generated = await steps.generate(out, hosts, identity)
    const result: WizardResult = {out, hosts, answersFile, pricesFile, generated}
    // The report reads what is already written: its failure must not hide where the rest went.
    try {
      const files = await steps.report(out, hosts)
      if (files) result.report = files
    } catch (error) {
      result.reportFailed = (error as Error).message
    }
    return result
  } finally {
    // Kept even when a step fails or the person stops: the next run replays what was answered.
    await steps.saveAnswers(answersFile, {...sources.file, ...r.answers})
  }
}

/** A single host's unknown key: show its fingerprint, ask, and connect again trusting it. */
async function scanTrusting(r: Resolver, asker: Asker, steps: Steps, request: ScanRequest, ctx: QuestionContext): Promise<string[]> {
  try {
    return await steps.scan(request)
  } catch (error) {
    const key = unknownHostKey(error)
    if (!key || request.acceptNew || request.inventory) throw error
    ctx.hostKey = key
    asker.say(`The host key of ${key.who} is not known: ${key.keyType} ${key.fingerprint}`)
    const trust = await r.answer('trust-host-key', ctx)
    r.requireAll()
    if (trust !== true) throw error
    return steps.scan({...request, acceptNew: true})
  }
}

/** SSH_HOSTKEY_UNKNOWN carries the key it is about (src/collect/transport/ssh-hostkey.ts). */
export function unknownHostKey(error: unknown): QuestionContext['hostKey'] {
  if (!isHoistError(error) || error.code !== 'SSH_HOSTKEY_UNKNOWN') return undefined
  return error.hostKey ? {...error.hostKey} : undefined
}

/** The closing lines: what was produced, and where. */
export function describeResult(result: WizardResult): string[] {
  const lines = [`Done. Everything is under ${result.out}/:`]
  for (const g of result.generated) {
    lines.push(`  hosts/${g.host}/plan.yaml  (the plan with your choices; edit it and run \`hoist generate\` again)`)
    for (const file of g.files) lines.push(`  ${file}`)
    for (const s of g.skipped) lines.push(`  ✗ ${s.service} not generated: ${s.reason}`)
  }
  if (result.reportFailed) lines.push(`  ✗ the report failed (${result.reportFailed}): run \`hoist report --out ${result.out}\` again`)
  else if (result.report) for (const file of result.report) lines.push(`  ${file}`)
  else lines.push('  (report skipped: this Hoist has no `hoist report` command yet)')
  lines.push(`  ${ANSWERS_FILE}  (replay with: hoist wizard --answers ${result.answersFile})`)
  lines.push(`Prices saved in ${result.pricesFile}.`)
  return lines
}
