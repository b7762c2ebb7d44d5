import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {parseDuration} from '../base-command.js'
import {expandHome} from '../batch/inventory/home.js'
import {DEFAULT_PRICES} from '../report/settings.js'
import type {BaseImagePolicy} from '../types/plan.js'

/**
 * The wizard's questions, one registry. Ids are stable: they are the keys of answers.yaml, of
 * `--set ID=VALUE`, and of the INPUT_MISSING list, so renaming one breaks saved answers (a test
 * snapshots the list). Nothing here asks for a secret: passwords are asked by the SSH layer and
 * never become answers.
 */
export type QuestionKind = 'text' | 'confirm' | 'select' | 'number'
export type AnswerValue = string | boolean | number
export type Answers = Record<string, AnswerValue>

export interface ServiceContext {
  host: string
  /** The service's name now (renames of earlier answers applied). */
  name: string
  kind: string
  policy: BaseImagePolicy
  sameOsImage: string
  /** The rule's upstream image; without one, `official` is no choice. */
  officialImage?: string
  /** Names of the host's other services: a rename must not take one. */
  otherNames: string[]
}

export interface QuestionContext {
  targetKind?: 'host' | 'inventory'
  hostKey?: {who: string; keyType: string; fingerprint: string}
  service?: ServiceContext
  /** What hoist.yaml already says: the prompt's default, never asked around. */
  prices: {currency?: string; vcpuHour?: number; gibHour?: number}
}

export interface Choice {
  value: string
  name: string
  description?: string
}

export interface Question {
  /** `services.*.x` for the per-service questions: `*` is the service key. */
  id: string
  kind: QuestionKind
  message(ctx: QuestionContext): string
  /** Printed above the prompt: why it is asked, what each answer does. */
  help?(ctx: QuestionContext): string
  default?(ctx: QuestionContext): AnswerValue | undefined
  choices?(ctx: QuestionContext): Choice[]
  when?(ctx: QuestionContext): boolean
  validate?(value: AnswerValue, ctx: QuestionContext): string | true
}

/** Service names become folder, image and compose names: the plan schema's alphabet. */
export const SERVICE_NAME = /^[a-z0-9][a-z0-9_.-]*$/
/** `<service>` for one host, `<host>/<service>` when an inventory brings several. */
const SERVICE_KEY = /^(?:[a-z0-9._-]+\/)?[a-z0-9][a-z0-9_.-]*$/
const SERVICE_FIELDS = ['include', 'rename', 'base-image'] as const
export type ServiceField = (typeof SERVICE_FIELDS)[number]

const nonNegative = (v: AnswerValue): string | true => (typeof v === 'number' && Number.isFinite(v) && v >= 0) || 'a number, 0 or more'

export const QUESTIONS: readonly Question[] = [
  {
    id: 'target', kind: 'text',
    message: () => 'Which host? [user@]host[:port], an ssh_config Host alias, or an inventory file (CSV, Ansible, ssh_config)',
    validate: (v) => (typeof v === 'string' && /^\S+$/.test(v)) || 'one host, alias or file, without spaces',
  },
  {
    id: 'identity', kind: 'text',
    message: () => 'Private key file (empty: ssh-agent and ~/.ssh/id_*)',
    help: () => 'Keys are tried first; if none gets in, SSH asks for a password on this terminal. Nothing typed is saved.',
    default: () => '',
    validate: (v) => typeof v === 'string' && (v === '' || existsSync(expandHome(v, homedir()))) ? true : 'no such file',
  },
  {
    id: 'trust-host-key', kind: 'confirm',
    message: (c) => c.hostKey ? `Trust the ${c.hostKey.keyType} key ${c.hostKey.fingerprint} of ${c.hostKey.who} and record it in known_hosts?` : 'Trust host keys seen for the first time, and record them in known_hosts?',
    help: (c) => c.hostKey
      ? 'Compare it with the host\'s own: `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on the host. A changed key is always refused.'
      : 'Unknown keys are refused unless you trust them; a changed key is always refused.',
    default: () => false,
  },
  {
    id: 'sudo', kind: 'confirm',
    message: () => 'Probe with sudo?',
    help: () => 'With `sudo -n` the probe can read every user\'s processes, environments and crontabs, so fewer questions stay open. It is still read-only, and it never prompts on the host: it needs passwordless sudo for the login.',
    default: () => false,
  },
  {
    id: 'sample', kind: 'text',
    message: () => 'Sample CPU and memory use for how long? (0s: none; e.g. 30s, 5m)',
    help: () => 'The sizing in the report is p95 of these samples; longer sampling gives more confidence.',
    default: () => '30s',
    validate: (v) => typeof v === 'string' && isDuration(v) ? true : 'a duration like 30s, 5m or 1h',
  },
  {
    id: 'out', kind: 'text',
    message: () => 'Output folder',
    default: () => 'hoist-out',
    validate: (v) => (typeof v === 'string' && v.trim() !== '') || 'a folder',
  },
  {
    id: 'services.*.include', kind: 'confirm',
    message: (c) => `Lift ${c.service?.name} (${c.service?.kind})?`,
    default: () => true,
  },
  {
    id: 'services.*.rename', kind: 'text',
    message: (c) => `Name of ${c.service?.name} (enter keeps it)`,
    default: (c) => c.service?.name,
    validate: (v, c) => {
      if (typeof v !== 'string' || !SERVICE_NAME.test(v)) return 'lower-case letters, digits, . _ - (starting with a letter or digit)'
      return c.service?.otherNames.includes(v) ? `another service of ${c.service.host} is called ${v}` : true
    },
  },
  {
    id: 'services.*.base-image', kind: 'select',
    message: (c) => `Base image of ${c.service?.name}`,
    when: (c) => c.service?.officialImage !== undefined,
    default: (c) => c.service?.policy,
    choices: (c) => [
      {value: 'same-os', name: `same-os: ${c.service?.sameOsImage}`, description: 'The host\'s own release and package versions: lift-and-shift.'},
      {value: 'official', name: `official: ${c.service?.officialImage}`, description: 'The maintained upstream image: smaller, for a modernising move.'},
    ],
  },
  {
    id: 'prices.currency', kind: 'text',
    message: () => 'Currency of your prices (ISO code)',
    default: (c) => c.prices.currency ?? DEFAULT_PRICES.currency,
    validate: (v) => (typeof v === 'string' && /^[A-Z]{3}$/.test(v)) || 'three capital letters, e.g. EUR, USD',
  },
  {id: 'prices.vcpu-hour', kind: 'number', message: () => 'Price per vCPU-hour', default: (c) => c.prices.vcpuHour ?? DEFAULT_PRICES.vcpuHour, validate: nonNegative},
  {id: 'prices.gib-hour', kind: 'number', message: () => 'Price per GiB of memory per hour', default: (c) => c.prices.gibHour ?? DEFAULT_PRICES.gibHour, validate: nonNegative},
]

const BY_ID = new Map(QUESTIONS.map((q) => [q.id, q]))

export function serviceQuestionId(key: string, field: ServiceField): string {
  return `services.${key}.${field}`
}

/** The question an id asks, per-service ids included; undefined for an id Hoist does not know. */
export function questionFor(id: string): Question | undefined {
  const direct = BY_ID.get(id)
  if (direct) return id.includes('*') ? undefined : direct
  const m = /^services\.(.+)\.([a-z-]+)$/.exec(id)
  if (!m || !SERVICE_KEY.test(m[1]!) || !(SERVICE_FIELDS as readonly string[]).includes(m[2]!)) return undefined
  return BY_ID.get(`services.*.${m[2]}`)
}

function isDuration(text: string): boolean {
  try {
    parseDuration(text)
    return true
  } catch {
    return false
  }
}
