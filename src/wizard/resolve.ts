import {HoistError} from '../errors.js'
import {givenAnswer, type AnswerSources, type Given} from './answers.js'
import {questionFor, type Answers, type AnswerValue, type Choice, type Question, type QuestionContext, type QuestionKind} from './questions.js'

/** One question as a prompt shows it: everything computed from the context already. */
export interface Prompt {
  id: string
  kind: QuestionKind
  message: string
  help?: string
  default?: AnswerValue
  choices?: Choice[]
  validate?(value: AnswerValue): string | true
}

/** Several yes/no questions asked as one checklist. */
export interface PickPrompt {
  message: string
  choices: {id: string; name: string; checked: boolean}[]
}

/** The person at the terminal (real prompts), or a script (tests). */
export interface Asker {
  ask(prompt: Prompt): Promise<AnswerValue>
  /** The ids of the choices left ticked. */
  pick(prompt: PickPrompt): Promise<string[]>
  say(line: string): void
}

/**
 * Answers each question from the flags, else the answers file, else the person; without a
 * terminal, an unanswered question is noted instead, so that one INPUT_MISSING lists them all.
 */
export class Resolver {
  /** Every answer this run used, given or typed: what answers.yaml records. */
  readonly answers: Answers = {}
  private missing: {id: string; message: string}[] = []

  constructor(private readonly sources: AnswerSources, private readonly interactive: boolean, private readonly asker: Asker) {}

  async answer(id: string, ctx: QuestionContext): Promise<AnswerValue | undefined> {
    const question = questionOf(id)
    if (question.when && !question.when(ctx)) return undefined
    const given = givenAnswer(this.sources, id)
    if (given) return this.accept(id, question, given, ctx)
    if (!this.interactive) {
      this.missing.push({id, message: question.message(ctx)})
      return undefined
    }
    const value = await this.asker.ask(promptFor(id, question, ctx))
    this.answers[id] = value
    return value
  }

  /** Yes/no questions of one topic: the given ones taken, the rest asked together as a checklist. */
  async answerAll(items: {id: string; ctx: QuestionContext}[], message: string): Promise<Record<string, boolean | undefined>> {
    const result: Record<string, boolean | undefined> = {}
    const open: {id: string; ctx: QuestionContext}[] = []
    for (const item of items) {
      const given = givenAnswer(this.sources, item.id)
      if (given) result[item.id] = this.accept(item.id, questionOf(item.id), given, item.ctx) as boolean
      else open.push(item)
    }
    if (open.length === 0) return result
    if (!this.interactive) {
      for (const item of open) this.missing.push({id: item.id, message: questionOf(item.id).message(item.ctx)})
      return result
    }
    const choices = open.map((item) => {
      const prompt = promptFor(item.id, questionOf(item.id), item.ctx)
      return {id: item.id, name: prompt.message, checked: prompt.default === true}
    })
    const ticked = new Set(await this.asker.pick({message, choices}))
    for (const item of open) this.answers[item.id] = result[item.id] = ticked.has(item.id)
    return result
  }

  /** Throws INPUT_MISSING naming every question still unanswered (none on a terminal). */
  requireAll(): void {
    if (this.missing.length === 0) return
    const list = this.missing.map((m) => `  ${m.id}: ${m.message}`).join('\n')
    throw new HoistError('INPUT_MISSING', `${this.missing.length} question(s) have no answer, and there is no terminal to ask:\n${list}`,
      'Add them to the answers file (`id: answer`, see answers.yaml of an earlier run), pass --set ID=VALUE, or run `hoist wizard` in a terminal.')
  }

  private accept(id: string, question: Question, given: Given, ctx: QuestionContext): AnswerValue {
    const choices = question.choices?.(ctx)
    const problem = choices && !choices.some((c) => c.value === given.value)
      ? `one of ${choices.map((c) => c.value).join(', ')}`
      : question.validate?.(given.value, ctx)
    if (typeof problem === 'string') {
      throw new HoistError('CONFIG_INVALID', `${given.from}: ${id}: ${JSON.stringify(given.value)} is not a valid answer (${problem})`, 'Fix that answer, or leave it out to be asked.')
    }
    this.answers[id] = given.value
    return given.value
  }
}

function questionOf(id: string): Question {
  const question = questionFor(id)
  if (!question) throw new Error(`wizard: no question ${id}`)
  return question
}

export function promptFor(id: string, q: Question, ctx: QuestionContext): Prompt {
  const validate = q.validate
  return {
    id,
    kind: q.kind,
    message: q.message(ctx),
    ...(q.help ? {help: q.help(ctx)} : {}),
    ...(q.default?.(ctx) !== undefined ? {default: q.default(ctx)} : {}),
    ...(q.choices ? {choices: q.choices(ctx)} : {}),
    ...(validate ? {validate: (value: AnswerValue) => validate(value, ctx)} : {}),
  }
}
