import {createHash, randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {packagePath} from '../../paths.js'

export interface ProbeParams {
  /** Per-run marker secret: host content cannot guess it, so it cannot fake a section. */
  nonce: string
  /** Utilisation readings to take (1 = a single reading, no waiting). */
  samples: number
  intervalSeconds: number
  /** Bytes each large section may print on the host before it is cut. */
  sectionCapBytes: number
  /** Seconds any single command that may hang (df, du, rpm, systemctl, sadf) may run. */
  commandTimeoutSeconds: number
  /** The probe kills itself after this many seconds (0: never). Set just past Hoist's own timeout. */
  deadlineSeconds: number
  /** Seconds du may spend sizing data paths, all together; what is not reached in time has no size. */
  sizeBudgetSeconds: number
}

export interface Probe {
  script: string
  /** Of the exact script sent (nonce and parameters included). */
  sha256: string
  /** Of the probe's source, before parameters: the same for every run of this Hoist version. */
  templateSha256: string
  nonce: string
}

export const DEFAULT_PROBE_PARAMS: Omit<ProbeParams, 'nonce'> = {
  samples: 1,
  intervalSeconds: 5,
  sectionCapBytes: 8 * 1024 * 1024,
  commandTimeoutSeconds: 10,
  deadlineSeconds: 300,
  sizeBudgetSeconds: 1,
}

let template: string | undefined
let templateSha: string | undefined

export function probeTemplate(): string {
  template ??= readFileSync(packagePath('src/collect/probe/probe.sh'), 'utf8')
  return template
}

export function probeTemplateSha256(): string {
  templateSha ??= sha256(probeTemplate())
  return templateSha
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

export function newNonce(): string {
  return randomBytes(8).toString('hex')
}

/** Sampling for `--sample 30s`: a reading every interval, first and last included. */
export function samplingParams(durationSeconds: number, intervalSeconds = 5): Pick<ProbeParams, 'samples' | 'intervalSeconds'> {
  if (durationSeconds <= 0) return {samples: 1, intervalSeconds}
  const interval = Math.max(1, Math.min(intervalSeconds, durationSeconds))
  return {samples: Math.floor(durationSeconds / interval) + 1, intervalSeconds: interval}
}

export function buildProbe(params: Partial<ProbeParams> = {}): Probe {
  const p: ProbeParams = {...DEFAULT_PROBE_PARAMS, nonce: newNonce(), ...params}
  if (!/^[0-9a-f]{16}$/.test(p.nonce)) throw new Error(`invalid probe nonce: ${p.nonce}`)
  const values: Record<string, string> = {
    __NONCE__: p.nonce,
    __SAMPLES__: String(Math.max(1, Math.floor(p.samples))),
    __INTERVAL__: String(Math.max(1, Math.floor(p.intervalSeconds))),
    __CAP__: String(Math.max(4096, Math.floor(p.sectionCapBytes))),
    __TIMEOUT__: String(Math.max(1, Math.floor(p.commandTimeoutSeconds))),
    __DEADLINE__: String(Math.max(0, Math.ceil(p.deadlineSeconds))),
    __SIZE_BUDGET__: String(Math.max(0, Math.floor(p.sizeBudgetSeconds))),
    __PROBE_SHA__: probeTemplateSha256(),
  }
  const script = probeTemplate().replace(/__(NONCE|SAMPLES|INTERVAL|CAP|TIMEOUT|DEADLINE|SIZE_BUDGET|PROBE_SHA)__/g, (key) => values[key] ?? key)
  return {script, sha256: sha256(script), templateSha256: probeTemplateSha256(), nonce: p.nonce}
}
