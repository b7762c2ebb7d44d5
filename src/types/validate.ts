import type {ErrorObject} from 'ajv'
import {HoistError} from '../errors.js'
import type {HostFacts} from './facts.js'
import validateHostFacts from './generated/facts.js'

export interface CompiledValidator {
  (value: unknown): boolean
  errors?: ErrorObject[] | null
}

/** Errors of a precompiled validator (see standalone.ts), as short readable lines. */
export function validatorErrors(validate: CompiledValidator, value: unknown): string[] {
  if (validate(value)) return []
  return (validate.errors ?? []).map(describe)
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '(top)'
  if (e.keyword === 'additionalProperties') return `${where}: unknown key "${(e.params as {additionalProperty: string}).additionalProperty}"`
  return `${where}: ${e.message ?? e.keyword}`
}

/** Checks facts we are about to write or have just read; `source` names the file for the message. */
export function assertHostFacts(value: unknown, source: string): asserts value is HostFacts {
  const errors = validatorErrors(validateHostFacts as CompiledValidator, value)
  if (errors.length === 0) return
  throw new HoistError(
    'FACTS_INVALID',
    `${source} is not valid HostFacts: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`,
    'Re-run `hoist scan` for this host, or restore the file from the scan that wrote it.',
  )
}
