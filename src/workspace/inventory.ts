import {join} from 'node:path'
import {HoistError} from '../errors.js'
import validateInventory from '../types/generated/inventory.js'
import type {Inventory} from '../types/inventory.js'
import {validatorErrors, type CompiledValidator} from '../types/validate.js'
import {hostPaths} from './paths.js'
import {writeJson} from './write.js'

/** inventory.json, schema-checked before it is written. */
export async function saveInventory(out: string, inventory: Inventory): Promise<string> {
  const errors = validatorErrors(validateInventory as CompiledValidator, inventory)
  if (errors.length > 0) {
    throw new HoistError('WORKSPACE_INVALID', `inventory of ${inventory.host} is not valid: ${errors.slice(0, 5).join('; ')}`, 'This is a bug in a rule or in Hoist: report it with the rule ids involved.')
  }
  const path = join(hostPaths(out, inventory.host).dir, 'inventory.json')
  await writeJson(path, inventory, {durable: false})
  return path
}
