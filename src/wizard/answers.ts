import {readFile} from 'node:fs/promises'
import {stringify} from 'yaml'
import {HoistError} from '../errors.js'
import {parseYamlFile} from '../types/yaml-file.js'
import {writeAtomic} from '../workspace/write.js'
import {QUESTIONS, questionFor, type Answers, type AnswerValue, type Question} from './questions.js'

export const ANSWERS_FILE = 'answers.yaml'

/** A given answer and where it came from, so a bad one is reported at its line or flag. */
export interface Given {
  value: AnswerValue
  from: string
}

/** Answers that need no prompt: flags first, then the answers file (DESIGN: flags > file > prompt). */
export interface AnswerSources {
  flags: Answers
  file: Answers
  /** `answers.yaml:12` for an id of the file. */
  where(id: string): string
}

export function givenAnswer(sources: AnswerSources, id: string): Given | undefined {
  if (sources.flags[id] !== undefined) return {value: sources.flags[id], from: 'the command line'}
  if (sources.file[id] !== undefined) return {value: sources.file[id], from: sources.where(id)}
  return undefined
}

/** answers.yaml, strictly: an unknown id or a value of the wrong type is an error naming its line. */
export async function loadAnswers(file: string): Promise<Pick<AnswerSources, 'file' | 'where'>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new HoistError('INPUT_MISSING', `cannot read ${file}`, 'Pass the answers.yaml a wizard run saved in its output folder.')
  }
  const parsed = parseYamlFile(text)
  const value = parsed.value ?? {}
  const problems = parsed.problems.map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.message}`)
  if (problems.length === 0 && (typeof value !== 'object' || Array.isArray(value))) problems.push(`${file}: expected question ids and their answers (id: answer)`)
  const answers: Answers = {}
  // JSON-pointer escaping: a service key `host/name` holds a slash.
  const where = (id: string) => `${file}${lineSuffix(parsed.lineOf(`/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`))}`
  if (problems.length === 0) {
    for (const [id, v] of Object.entries(value as Record<string, unknown>)) {
      const question = questionFor(id)
      const problem = !question ? `unknown question id "${id}"` : typeProblem(question, v)
      if (problem) problems.push(`${where(id)}: ${problem}`)
      else answers[id] = v as AnswerValue
    }
  }
  if (problems.length > 0) {
    throw new HoistError('CONFIG_INVALID', `${file} has ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`,
      `Fix the lines named. Known ids: ${QUESTIONS.map((q) => q.id).join(', ')} (* is a service name).`)
  }
  return {file: answers, where}
}

function lineSuffix(line: number | undefined): string {
  return line ? `:${line}` : ''
}

function typeProblem(question: Question, value: unknown): string | undefined {
  const want = question.kind === 'confirm' ? 'boolean' : question.kind === 'number' ? 'number' : 'string'
  if (typeof value === want) return undefined
  return `${question.id} takes ${want === 'boolean' ? 'true or false' : `a ${want}`}, not ${JSON.stringify(value)}`
}

/** `--set ID=VALUE`: typed by the question's kind, so `--set sudo=true` is a boolean. */
export function parseSetFlags(entries: string[]): Answers {
  const answers: Answers = {}
  for (const entry of entries) {
    const eq = entry.indexOf('=')
    const id = eq > 0 ? entry.slice(0, eq) : entry
    const question = questionFor(id)
    if (eq <= 0 || !question) {
      throw new HoistError('INPUT_MISSING', `--set ${entry}: expected ID=VALUE with a known question id`, `Known ids: ${QUESTIONS.map((q) => q.id).join(', ')} (* is a service name).`)
    }
    const raw = entry.slice(eq + 1)
    const value: AnswerValue = question.kind === 'confirm' ? /^(true|yes|y)$/i.test(raw) : question.kind === 'number' ? Number(raw) : raw
    if (question.kind === 'confirm' && !/^(true|false|yes|no|y|n)$/i.test(raw)) throw new HoistError('INPUT_MISSING', `--set ${entry}: ${id} takes true or false`, 'Write --set ID=true or --set ID=false.')
    answers[id] = value
  }
  return answers
}

/** Written in the registry's order, services last, so two runs' files compare line by line. */
export function renderAnswers(answers: Answers): string {
  const order = (id: string): [number, string, number] => {
    const q = questionFor(id)
    const rank = q ? QUESTIONS.indexOf(q) : QUESTIONS.length
    const service = /^services\.(.+)\.[a-z-]+$/.exec(id)
    return service ? [1, service[1]!, rank] : [0, '', rank]
  }
  const ids = Object.keys(answers).sort((a, b) => {
    const [ga, ka, ra] = order(a)
    const [gb, kb, rb] = order(b)
    return ga - gb || ka.localeCompare(kb) || ra - rb
  })
  const header = '# Hoist wizard answers. Replay them with `hoist wizard --answers FILE`; flags override them.\n# No password or other secret is ever saved here.\n'
  return header + stringify(Object.fromEntries(ids.map((id) => [id, answers[id]])), {lineWidth: 0})
}

export async function saveAnswers(file: string, answers: Answers): Promise<void> {
  await writeAtomic(file, renderAnswers(answers), {durable: false})
}
