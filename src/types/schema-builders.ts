/** Small builders for strict JSON Schemas: every object rejects unknown keys. */
export type Schema = Record<string, unknown>

export const str: Schema = {type: 'string'}
export const int: Schema = {type: 'integer'}
export const num: Schema = {type: 'number'}
export const bool: Schema = {type: 'boolean'}
export const nonNegative: Schema = {type: 'integer', minimum: 0}
export const nonNegativeNumber: Schema = {type: 'number', minimum: 0}
export const port: Schema = {type: 'integer', minimum: 0, maximum: 65535}
// A pattern, not ajv-formats' date-time: precompiled validators then need no format runtime.
export const dateTime: Schema = {type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$'}

export function obj(required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(required),
    properties: {...required, ...optional},
  }
}

export function arr(items: Schema): Schema {
  return {type: 'array', items}
}

export function oneOf(...values: string[]): Schema {
  return {type: 'string', enum: values}
}

export function map(values: Schema): Schema {
  return {type: 'object', additionalProperties: values}
}
