import type {Arg, Dockerfile, Env, Instruction} from 'dockerfile-ast'
import {finding, lineage, parseStages, type Stage} from './support/stages.js'
import {hasShortOption, runCommands, subcommand, type ShellCommand} from './support/shell.js'
import type {LintFinding, LintRule} from './types.js'

const ID = 'hoist/apt-noninteractive'
const APT = new Set(['apt-get', 'apt'])
const RPM = new Set(['dnf', 'yum', 'microdnf'])
const APT_LISTS = '/var/lib/apt/lists'

/** Variables a RUN sees from the stage: ENV (inherited from parent stages) and ARG (this stage only). */
function stageVariables(dockerfile: Dockerfile, stage: Stage, before: Instruction): Map<string, string> {
  const vars = new Map<string, string>()
  const globals = new Map(dockerfile.getInitialARGs().map((a) => [a.getProperty()?.getName(), a.getProperty()?.getValue()]))
  for (const instruction of lineage(stage)) {
    if (instruction === before) break
    const keyword = instruction.getKeyword()
    if (keyword === 'ENV') {
      for (const p of (instruction as Env).getProperties()) vars.set(p.getName(), p.getValue() ?? '')
    } else if (keyword === 'ARG' && stage.instructions.includes(instruction)) {
      const p = (instruction as Arg).getProperty()
      const value = p?.getValue() ?? globals.get(p?.getName())
      if (p && value != null) vars.set(p.getName(), value)
    }
  }
  return vars
}

function assumesYes(args: string[]): boolean {
  return args.includes('--yes') || args.includes('--assume-yes') || hasShortOption(args, 'y') ||
    args.some((a) => /^-[A-Za-z]*q[A-Za-z]*q/.test(a))
}

function removesAptLists(command: ShellCommand): boolean {
  const recursive = hasShortOption(command.args, 'r') || hasShortOption(command.args, 'R') || command.args.includes('--recursive')
  return command.name === 'rm' && recursive && command.args.some((a) => a === APT_LISTS || a.startsWith(`${APT_LISTS}/`))
}

function cleansRpmCache(command: ShellCommand): boolean {
  return RPM.has(command.name) && subcommand(command.args) === 'clean' && command.args.includes('all')
}

/** What one install command lacks; `later` are the commands after it in the same RUN. */
function missing(command: ShellCommand, later: ShellCommand[], frontend: string | undefined): string[] {
  const {name, args} = command
  const gaps: string[] = []
  if (APT.has(name) && subcommand(args, ['-o', '-c', '-t', '-a']) === 'install') {
    if (!assumesYes(args)) gaps.push('-y')
    if (!args.includes('--no-install-recommends')) gaps.push('--no-install-recommends')
    if ((command.assignments.get('DEBIAN_FRONTEND') ?? frontend) !== 'noninteractive') gaps.push('DEBIAN_FRONTEND=noninteractive')
    if (!later.some(removesAptLists)) gaps.push(`rm -rf ${APT_LISTS}/* in the same RUN`)
  } else if (RPM.has(name) && subcommand(args, ['-c', '-d', '-e', '-x', '-R']) === 'install') {
    if (!args.includes('--assumeyes') && !hasShortOption(args, 'y')) gaps.push('-y')
    if (!later.some(cleansRpmCache)) gaps.push(`${name} clean all in the same RUN`)
  } else if (name === 'apk' && subcommand(args) === 'add') {
    if (!args.includes('--no-cache')) gaps.push('--no-cache')
  }
  return gaps
}

function checkRun(run: Instruction, vars: Map<string, string>): LintFinding[] {
  const commands = runCommands(run)
  const findings: LintFinding[] = []
  let frontend = vars.get('DEBIAN_FRONTEND')
  commands.forEach((command, i) => {
    const exported = command.name === 'export' && command.args.find((a) => a.startsWith('DEBIAN_FRONTEND='))
    if (exported) frontend = exported.slice('DEBIAN_FRONTEND='.length)
    const gaps = missing(command, commands.slice(i + 1), frontend)
    if (gaps.length > 0) {
      const shown = [command.name, ...command.args].join(' ')
      findings.push(finding(ID, run, `\`${shown}\` needs ${gaps.join(', ')}: builds must not prompt, and the image must not keep the package cache`))
    }
  })
  return findings
}

export const aptNoninteractive: LintRule = {
  id: ID,
  title: 'Package installs are non-interactive, skip recommends and clean their cache in the same layer',
  check(dockerfile) {
    return parseStages(dockerfile).flatMap((stage) =>
      stage.instructions
        .filter((i) => i.getKeyword() === 'RUN')
        .flatMap((run) => checkRun(run, stageVariables(dockerfile, stage, run))),
    )
  },
}
