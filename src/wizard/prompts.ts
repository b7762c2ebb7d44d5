import {checkbox, confirm, input, select} from '@inquirer/prompts'
import type {Asker, Prompt} from './resolve.js'

/** The wizard's questions as real terminal prompts (@inquirer/prompts). */
export function inquirerAsker(say: (line: string) => void): Asker {
  return {
    say,
    async ask(p: Prompt) {
      if (p.help) say(p.help)
      switch (p.kind) {
        case 'confirm':
          return confirm({message: p.message, default: p.default === true})
        case 'select':
          return select({message: p.message, choices: p.choices ?? [], ...(typeof p.default === 'string' ? {default: p.default} : {})})
        case 'number': {
          // A typed number is checked as the number it becomes, with the question's own rule.
          const text = await input({
            message: p.message,
            ...(p.default !== undefined ? {default: String(p.default)} : {}),
            validate: (t) => (t.trim() !== '' && Number.isFinite(Number(t)) ? p.validate?.(Number(t)) ?? true : 'a number'),
          })
          return Number(text)
        }
        case 'text':
          return input({
            message: p.message,
            ...(typeof p.default === 'string' && p.default !== '' ? {default: p.default} : {}),
            ...(p.validate ? {validate: (t: string) => p.validate!(t.trim())} : {}),
          }).then((t) => t.trim())
      }
    },
    pick: (p) => checkbox({message: p.message, choices: p.choices.map((c) => ({value: c.id, name: c.name, checked: c.checked})), loop: false}),
  }
}
