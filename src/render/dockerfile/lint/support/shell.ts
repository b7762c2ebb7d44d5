import type {Instruction} from 'dockerfile-ast'

/** One simple command of a RUN's shell script, with the `VAR=value` words that prefix it. */
export interface ShellCommand {
  /** The program's basename: `/usr/bin/apt-get` is `apt-get`. */
  name: string
  args: string[]
  assignments: Map<string, string>
}

// Prefixes that run the next word as the command; their own options are skipped too.
const WRAPPERS = new Set(['sudo', 'env', 'command', 'exec', 'nice', 'nohup', 'time'])
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s

/**
 * Splits a RUN into simple commands. A lint's view, not a shell: operators and newlines
 * separate commands, quotes are honoured for splitting and then dropped.
 */
export function runCommands(run: Instruction): ShellCommand[] {
  return splitCommands(scriptOf(run)).map(toCommand).filter((c): c is ShellCommand => c !== null)
}

function scriptOf(run: Instruction): string {
  const first = run.getArguments()[0]?.getValue() ?? ''
  if (!first.startsWith('<<')) return run.getArguments().map((a) => a.getValue()).join(' ')
  // A heredoc keeps its newlines, which separate commands; the marker lines are not commands.
  const lines = (run.getArgumentsContent() ?? '').split('\n').slice(1, -1)
  return lines.filter((l) => !l.trim().startsWith('#')).join('\n')
}

function splitCommands(script: string): string[][] {
  const commands: string[][] = []
  let words: string[] = []
  let word = ''
  let quote = ''
  const endWord = () => {
    if (word !== '') words.push(word)
    word = ''
  }
  const endCommand = () => {
    endWord()
    if (words.length > 0) commands.push(words)
    words = []
  }
  for (const ch of script) {
    if (quote) {
      if (ch === quote) quote = ''
      else word += ch
    } else if (ch === '"' || ch === "'") quote = ch
    else if (/\s/.test(ch) && ch !== '\n') endWord()
    else if ('&|;()\n'.includes(ch)) endCommand()
    else word += ch
  }
  endCommand()
  return commands
}

function toCommand(words: string[]): ShellCommand | null {
  const assignments = new Map<string, string>()
  let i = 0
  for (; i < words.length; i++) {
    const word = words[i]!
    const assignment = ASSIGNMENT.exec(word)
    if (assignment) assignments.set(assignment[1]!, assignment[2]!)
    else if (!WRAPPERS.has(word) && !word.startsWith('-')) break
  }
  const program = words[i]
  if (program === undefined) return null
  return {name: program.split('/').at(-1)!, args: words.slice(i + 1), assignments}
}

/** The first word that is not an option (nor the value of one of `valued`). */
export function subcommand(args: string[], valued: string[] = []): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (valued.includes(arg)) i++
    else if (!arg.startsWith('-')) return arg
  }
  return undefined
}

/** Whether a short option is given, alone or in a cluster such as `-qy`. */
export function hasShortOption(args: string[], letter: string): boolean {
  return args.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(letter))
}
