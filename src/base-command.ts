import {Command, Flags, type Interfaces} from '@oclif/core'
import {HoistError, isHoistError} from './errors.js'
import {DEFAULT_OUT} from './workspace/paths.js'

/** Flags every command shares, and one way of reporting errors: code, message, what to do next. */
export abstract class HoistCommand extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    out: Flags.string({char: 'o', description: 'Output folder (the workspace).', default: DEFAULT_OUT, helpGroup: 'GLOBAL'}),
    quiet: Flags.boolean({char: 'q', description: 'Print only errors.', default: false, helpGroup: 'GLOBAL'}),
  }

  protected say(flags: {quiet: boolean}, message: string): void {
    if (!flags.quiet && !this.jsonEnabled()) this.log(message)
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    if (!isHoistError(error)) return super.catch(error)
    if (this.jsonEnabled()) {
      this.logJson({error: error.toJSON()})
    } else {
      this.logToStderr(formatError(error))
    }
    return this.exit(1)
  }
}

export function formatError(error: HoistError): string {
  return `Error [${error.code}]: ${error.message}\n  → ${error.suggestion}`
}

/** "30s", "2m", "1h", "90" → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?$/.exec(text.trim())
  if (!m) throw new HoistError('INPUT_MISSING', `not a duration: ${JSON.stringify(text)}`, 'Write a duration like 30s, 5m or 1h.')
  const n = Number(m[1])
  const unit = m[2] ?? 's'
  return Math.round(unit.startsWith('h') ? n * 3600 : unit.startsWith('m') ? n * 60 : n)
}
