import {readFile} from 'node:fs/promises'
import {parseKey} from 'ssh2/lib/protocol/keyParser.js'
import type {AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, KeyboardInteractiveCallback, ParsedKey, Prompt} from 'ssh2'

/** Asks the person at the terminal. Answers are used once and never kept, logged or put in messages. */
export interface SshPrompter {
  password(question: string): Promise<string>
  passphrase(question: string): Promise<string>
}

export interface AuthPlan {
  /** Who and where, for questions: `root@db1`. */
  who: string
  username: string
  agentSocket?: string
  identityFiles: string[]
  prompt?: SshPrompter
  /** The auth timer must not run while a person is typing. */
  onPromptStart(): void
  onPromptEnd(): void
}

export interface AuthRecord {
  /** What was tried, in order, in words fit for an error message. */
  tried: string[]
  /** The methods the server said it accepts, once it said so. */
  serverMethods?: AuthenticationType[]
  /** Set when no method is left; ssh2's "All configured authentication methods failed" follows. */
  exhausted: boolean
}

type Step = {kind: 'agent' | 'keyboard-interactive' | 'password'} | {kind: 'key'; file: string}

const MAX_SECRET_TRIES = 3

/**
 * OpenSSH's order: agent, identity files, keyboard-interactive, password. OpenSSH first sends `none`
 * to learn the server's methods; a key attempt learns them as well, one round trip sooner, so `none`
 * goes only where nothing was learnt yet: before a prompt, or before giving up. An authHandler
 * function lets us prompt between attempts and record each one.
 */
export function makeAuthHandler(plan: AuthPlan, record: AuthRecord): AuthHandlerMiddleware {
  const steps: Step[] = []
  if (plan.agentSocket) steps.push({kind: 'agent'})
  for (const file of plan.identityFiles) steps.push({kind: 'key', file})
  steps.push({kind: 'keyboard-interactive'}, {kind: 'password'})
  let keyboardAttempts = 0
  let keyboardPrompted = 0
  let passwordTries = 0
  let noPromptNoted = false
  let cancelled = false
  let noneSent = false

  const allowed = (method: AuthenticationType): boolean => record.serverMethods === undefined || record.serverMethods.includes(method)
  const ask = async (question: string, secret: 'password' | 'passphrase'): Promise<string> => {
    plan.onPromptStart()
    try {
      return await (plan.prompt as SshPrompter)[secret](question)
    } finally {
      plan.onPromptEnd()
    }
  }

  // `none`, once, while no attempt has taught the server's methods.
  const noneIfUnknown = (): AnyAuthMethod | undefined => {
    if (record.serverMethods !== undefined || noneSent) return undefined
    noneSent = true
    return {type: 'none', username: plan.username}
  }

  const nextMethod = async (): Promise<AnyAuthMethod | false> => {
    const username = plan.username
    if (cancelled) {
      record.tried.push('(stopped: the prompt was cancelled)')
      return false
    }
    while (steps.length > 0) {
      const step = steps[0] as Step
      if (step.kind === 'agent') {
        steps.shift()
        if (!allowed('publickey')) continue
        record.tried.push(`ssh-agent (${plan.agentSocket})`)
        return {type: 'agent', username, agent: plan.agentSocket as string}
      }
      if (step.kind === 'key') {
        steps.shift()
        if (!allowed('publickey')) continue
        const key = await loadKey(step.file)
        if (key) return {type: 'publickey', username, key}
        continue
      }
      const none = noneIfUnknown()
      if (none) return none
      const interactive = step.kind === 'keyboard-interactive'
      const spent = interactive
        ? keyboardAttempts >= MAX_SECRET_TRIES || (keyboardAttempts > 0 && keyboardPrompted === 0)
        : passwordTries >= MAX_SECRET_TRIES || keyboardPrompted > 0
      // A server that asked nothing over keyboard-interactive gets a password instead; one that asked already is not asked twice.
      if (!allowed(step.kind) || spent) {
        steps.shift()
        continue
      }
      if (!plan.prompt) {
        steps.shift()
        if (!noPromptNoted) record.tried.push(`${step.kind} (skipped: no terminal to ask for a password)`)
        noPromptNoted = true
        continue
      }
      if (interactive) {
        keyboardAttempts++
        record.tried.push('keyboard-interactive')
        return {type: 'keyboard-interactive', username, prompt: keyboardPrompt}
      }
      passwordTries++
      const password = await ask(`Password for ${plan.who}:`, 'password')
      record.tried.push('password')
      return {type: 'password', username, password}
    }
    return noneIfUnknown() ?? false
  }

  const keyboardPrompt = (_name: string, instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback): void => {
    void (async () => {
      const answers: string[] = []
      for (const prompt of prompts) {
        keyboardPrompted++
        const text = prompt.prompt.trim() || 'Password:'
        try {
          answers.push(await ask(`${plan.who} ${instructions ? `(${instructions.trim()}) ` : ''}${text}`, 'password'))
        } catch {
          cancelled = true
          break
        }
      }
      finish(answers)
    })()
  }

  const loadKey = async (file: string): Promise<ParsedKey | undefined> => {
    let data: Buffer
    try {
      data = await readFile(file)
    } catch (error) {
      record.tried.push(`key ${file} (skipped: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message})`)
      return undefined
    }
    let parsed = parseKey(data)
    if (parsed instanceof Error && /no passphrase given/i.test(parsed.message)) {
      if (!plan.prompt) {
        record.tried.push(`key ${file} (skipped: encrypted, and no terminal to ask for its passphrase)`)
        return undefined
      }
      for (let attempt = 1; attempt <= MAX_SECRET_TRIES && parsed instanceof Error; attempt++) {
        const passphrase = await ask(`Passphrase for key ${file}:`, 'passphrase')
        // An empty answer means "skip this key", as with ssh.
        if (passphrase === '') break
        parsed = parseKey(data, passphrase)
      }
      if (parsed instanceof Error) {
        record.tried.push(`key ${file} (skipped: passphrase not accepted)`)
        return undefined
      }
    }
    if (parsed instanceof Error) {
      record.tried.push(`key ${file} (skipped: cannot read it: ${parsed.message})`)
      return undefined
    }
    const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed
    if (!key || !key.isPrivateKey()) {
      record.tried.push(`key ${file} (skipped: not a private key)`)
      return undefined
    }
    record.tried.push(`key ${file}`)
    return key
  }

  return (methodsLeft, _partialSuccess, next) => {
    // ssh2 passes null on the first call, despite its typings.
    if (Array.isArray(methodsLeft)) record.serverMethods = methodsLeft
    nextMethod().then(
      (method) => {
        if (method === false) record.exhausted = true
        next(method as AnyAuthMethod)
      },
      () => {
        record.tried.push('(stopped: the prompt was cancelled)')
        record.exhausted = true
        next(false as unknown as AnyAuthMethod)
      },
    )
  }
}
