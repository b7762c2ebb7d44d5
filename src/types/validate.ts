import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {HoistError} from '../errors.js'
import {hostFactsSchema} from './facts.schema.js'
import type {HostFacts} from './facts.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

let ajv: Ajv | undefined
const compiled = new Map<object, ValidateFunction>()

function validator(schema: object): ValidateFunction {
  ajv ??= addFormats(new Ajv({strict: true, allErrors: true}))
  let fn = compiled.get(schema)
  if (!fn) {
    fn = ajv.compile(schema)
    compiled.set(schema, fn)
  }
  return fn
}

export function schemaErrors(schema: object, value: unknown): string[] {
  const fn = validator(schema)
  if (fn(value)) return []
  return (fn.errors ?? []).map(describe)
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '(top)'
  if (e.keyword === 'additionalProperties') return `${where}: unknown key "${(e.params as {additionalProperty: string}).additionalProperty}"`
  return `${where}: ${e.message ?? e.keyword}`
}

/** Checks facts we are about to write or have just read; `source` names the file for the message. */
export function assertHostFacts(value: unknown, source: string): asserts value is HostFacts {
  const errors = schemaErrors(hostFactsSchema, value)
  if (errors.length === 0) return
  throw new HoistError(
    'FACTS_INVALID',
    `${source} is not valid HostFacts: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`,
    'Re-run `hoist scan` for this host, or restore the file from the scan that wrote it.',
  )
}
