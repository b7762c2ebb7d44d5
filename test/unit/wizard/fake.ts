import {detect} from '../../../src/detect/engine.js'
import {loadRules} from '../../../src/detect/load.js'
import {loadExampleFacts} from '../../../src/detect/rule-test.js'
import {HoistError} from '../../../src/errors.js'
import {buildPlan} from '../../../src/plan/build.js'
import type {Plan} from '../../../src/types/plan.js'
import type {AnswerSources} from '../../../src/wizard/answers.js'
import type {Found} from '../../../src/wizard/choose.js'
import type {Prices, ScanRequest, Steps} from '../../../src/wizard/flow.js'
import type {Answers, AnswerValue} from '../../../src/wizard/questions.js'
import type {Asker, Prompt} from '../../../src/wizard/resolve.js'

/** The bundled example host (nginx, PostgreSQL, Redis, a Python app, two cron jobs), detected and planned for real. */
export async function exampleFound(): Promise<Found> {
  const facts = await loadExampleFacts('examples/debian12-web/probe-output.txt')
  const facts2 = {...facts, host: {...facts.host, name: 'web01'}}
  const inventory = detect(facts2, await loadRules())
  const plan = buildPlan(inventory, facts2)
  // The example's app talks to neither over TCP; give it the references a rename must follow.
  plan.services.find((s) => s.name === 'app')!.dependsOn = ['postgresql', 'redis']
  return {plan, inventory}
}

export const FINGERPRINT = 'SHA256:Yk7mQp0bVw1Hq7s2n9V7JcVt3vJk0m8R2c1xg5f3a9E'

/** What the real host-key check throws for an unknown key (src/collect/transport/ssh-hostkey.ts). */
export function unknownKeyError(): HoistError {
  return new HoistError('SSH_HOSTKEY_UNKNOWN', `The host key of root@web01 is not known: ssh-ed25519 ${FINGERPRINT} (looked up as web01 in /tmp/kh).`, 'Verify it.', {host: 'web01', hostKey: {who: 'root@web01', keyType: 'ssh-ed25519', fingerprint: FINGERPRINT}})
}

/** A person who answers from a script, Enter (the default) for the rest, and remembers what was asked. */
export function scriptedAsker(script: Answers = {}, ticked?: (id: string) => boolean) {
  const asked: Prompt[] = []
  const said: string[] = []
  const asker: Asker = {
    async ask(prompt) {
      asked.push(prompt)
      const value: AnswerValue | undefined = script[prompt.id] ?? prompt.default
      if (value === undefined) throw new Error(`the script has no answer for ${prompt.id}`)
      const valid = prompt.validate?.(value) ?? true
      if (valid !== true) throw new Error(`${prompt.id}: ${valid}`)
      return value
    },
    async pick(prompt) {
      for (const c of prompt.choices) asked.push({id: c.id, kind: 'confirm', message: c.name, default: c.checked})
      return prompt.choices.filter((c) => (ticked ? ticked(c.id) : script[c.id] ?? c.checked)).map((c) => c.id)
    },
    say: (line) => said.push(line),
  }
  return {asker, asked, said}
}

export interface FakeSteps extends Steps {
  scans: ScanRequest[]
  plans: Plan[]
  prices?: Prices
  saved?: Answers
  generated: boolean
}

/** Steps that touch nothing: the scan fails with an unknown key `unknownKeyTimes` times first. */
export function fakeSteps(found: Found, options: {unknownKeyTimes?: number; inventoryFile?: string} = {}): FakeSteps {
  let unknown = options.unknownKeyTimes ?? 0
  const steps: FakeSteps = {
    scans: [],
    plans: [],
    generated: false,
    isFile: async (path) => path === options.inventoryFile,
    priceDefaults: async () => ({currency: 'EUR'}),
    async scan(request) {
      steps.scans.push(request)
      if (unknown > 0 && !request.acceptNew) {
        unknown--
        throw unknownKeyError()
      }
      return [found.plan.host]
    },
    plan: async () => {},
    load: async () => found,
    async savePlan(out, plan) {
      steps.plans.push(structuredClone(plan))
      return `${out}/hosts/${plan.host}/plan.yaml`
    },
    async savePrices(prices) {
      steps.prices = prices
      return 'hoist.yaml'
    },
    async saveAnswers(_file, answers) {
      steps.saved = answers as Answers
    },
    async generate() {
      steps.generated = true
      return [{host: found.plan.host, files: ['hosts/web01/services/nginx/Dockerfile'], skipped: []}]
    },
    report: async () => undefined,
  }
  return steps
}

export function sources(flags: Answers = {}, file: Answers = {}): AnswerSources {
  return {flags, file, where: (id) => `answers.yaml (${id})`}
}
