import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseDocument} from 'yaml'
import {parseDuration} from '../base-command.js'
import {expandHome} from '../batch/inventory/home.js'
import {DEFAULT_COLLECT_OPTIONS} from '../collect/options.js'
import {scanSsh} from '../collect/scan.js'
import {CONFIG_FILE, loadConfig} from '../config.js'
import type {HostGenerated} from '../generate.js'
import {saveScan, scannedHosts} from '../workspace/hosts.js'
import {loadInventory as loadWorkspaceInventory} from '../workspace/inventory.js'
import {safeHostName} from '../workspace/paths.js'
import {parsePlan, planFiles, renderPlan, loadPlan} from '../workspace/plan-file.js'
import {writeAtomic} from '../workspace/write.js'
import {saveAnswers} from './answers.js'
import type {Generated, Steps} from './flow.js'
import type {Answers} from './questions.js'

export interface StepsOptions {
  /** Runs another hoist command (oclif's config.runCommand). */
  run<T>(id: string, argv: string[]): Promise<T>
  /** Passwords and passphrases may be asked by the SSH layer. */
  interactive: boolean
  knownHosts?: string
  sshConfig?: string
  /** hoist.yaml: where the prices go (default ./hoist.yaml, which plan and report read). */
  config?: string
  quiet: boolean
  say(line: string): void
}

/** The real side effects: the existing commands, or the functions under them where the wizard must catch an error. */
export function realSteps(o: StepsOptions): Steps {
  const common = (out: string) => [`--out=${out}`, ...(o.quiet ? ['--quiet'] : [])]
  const ssh = (identity: string) => [
    ...(identity ? [`--identity=${expandHome(identity, homedir())}`] : []),
    ...(o.knownHosts ? [`--known-hosts=${o.knownHosts}`] : []),
    ...(o.sshConfig ? [`--ssh-config=${o.sshConfig}`] : []),
  ]
  const configFile = resolve(o.config ?? CONFIG_FILE)
  return {
    isFile: async (path) => (await stat(expandHome(path, homedir())).catch(() => undefined))?.isFile() ?? false,
    priceDefaults: async () => (await loadConfig(o.config)).prices ?? {},
    async scan(req) {
      if (req.inventory) {
        const file = expandHome(req.target, homedir())
        await o.run('scan', [`--inventory=${file}`, ...common(req.out), ...ssh(req.identity), `--sample=${req.sample}`, ...(req.sudo ? ['--sudo'] : []), ...(req.acceptNew ? ['--accept-new'] : [])])
        // Hosts a previous run scanned are skipped by scan (resumed), and belong to this run too.
        const {loadInventory} = await import('../batch/inventory/load.js')
        const names = new Set((await loadInventory(file)).map((h) => safeHostName(h.name)))
        return (await scannedHosts(req.out)).filter((h) => names.has(h))
      }
      // Called directly, not through `hoist scan`: the wizard must catch SSH_HOSTKEY_UNKNOWN to ask.
      const result = await scanSsh(req.target, {
        ...DEFAULT_COLLECT_OPTIONS,
        sudo: req.sudo,
        sampleSeconds: parseDuration(req.sample),
        sshConfigPath: o.sshConfig,
        interactive: o.interactive,
        ssh: {knownHostsPath: o.knownHosts, acceptNew: req.acceptNew, identityFiles: req.identity ? [expandHome(req.identity, homedir())] : []},
      })
      const path = await saveScan(req.out, result.facts, {command: result.command, scriptSha256: result.scriptSha256})
      for (const note of result.notes) o.say(`  note: ${note}`)
      o.say(`✓ ${result.facts.host.name}: scanned, ${result.facts.processes.length} processes, ${result.facts.listeners.length} listening sockets → ${path}`)
      return [result.facts.host.name]
    },
    plan: async (out, hosts) => {
      await o.run('plan', [...common(out), ...hosts.map((h) => `--host=${h}`), ...(o.config ? [`--config=${o.config}`] : [])])
    },
    load: async (out, host) => ({plan: await loadPlan(out, host), inventory: await loadWorkspaceInventory(out, host)}),
    async savePlan(out, plan) {
      // Written like a hand edit (no new stamp): a later `hoist plan` keeps these choices.
      const file = planFiles(out, plan.host).plan
      const text = renderPlan(plan)
      parsePlan(text, file)
      await writeAtomic(file, text, {durable: false})
      return file
    },
    async savePrices(prices) {
      // Edited as a document, so the consultant's comments and other keys in hoist.yaml stay.
      const doc = parseDocument(await readFile(configFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
        // Only a missing file starts empty: an unreadable one must fail, not be overwritten.
        if (error.code === 'ENOENT') return ''
        throw error
      }))
      doc.setIn(['prices', 'currency'], prices.currency)
      doc.setIn(['prices', 'vcpuHour'], prices.vcpuHour)
      doc.setIn(['prices', 'gibHour'], prices.gibHour)
      // The values were validated as answers, and the rest of the file by priceDefaults.
      await writeAtomic(configFile, doc.toString(), {durable: false})
      return configFile
    },
    saveAnswers: (file, answers) => saveAnswers(file, answers as Answers),
    async generate(out, hosts, identity) {
      const results = await o.run<HostGenerated[]>('generate', [...common(out), ...hosts.map((h) => `--host=${h}`), ...ssh(identity)])
      return results.map((r): Generated => ({
        host: r.host,
        files: [...r.services.map((s) => `hosts/${r.host}/${s.context}/Dockerfile`), ...r.substrate.map((f) => `hosts/${r.host}/${f}`)],
        skipped: r.skipped,
      }))
    },
    async report(out, hosts) {
      await o.run('report', [...common(out), ...(o.config ? [`--config=${o.config}`] : [])]).catch((error: Error & {oclif?: {exit?: number}}) => {
        // A Hoist error was printed by the command itself before it exited.
        throw error.oclif?.exit === undefined ? error : new Error('its error is printed above')
      })
      const candidates = ['', ...hosts.map((h) => `hosts/${h}/`)].flatMap((dir) => ['html', 'md', 'json'].map((ext) => `${dir}report.${ext}`))
      return candidates.filter((file) => existsSync(join(out, file)))
    },
  }
}
