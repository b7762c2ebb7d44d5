import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {HoistError} from '../errors.js'
import validateInventory from '../types/generated/inventory.js'
import type {Inventory} from '../types/inventory.js'
import {validatorErrors, type CompiledValidator} from '../types/validate.js'
import {hostPaths} from './paths.js'
import {writeJson} from './write.js'

/** A host's inventory.json. */
export function inventoryPath(out: string, host: string): string {
  return join(hostPaths(out, host).dir, 'inventory.json')
}

/** inventory.json, schema-checked before it is written. */
export async function saveInventory(out: string, inventory: Inventory): Promise<string> {
  const errors = validatorErrors(validateInventory as CompiledValidator, inventory)
  if (errors.length > 0) {
    throw new HoistError('WORKSPACE_INVALID', `inventory of ${inventory.host} is not valid: ${errors.slice(0, 5).join('; ')}`, 'This is a bug in a rule or in Hoist: report it with the rule ids involved.')
  }
  const path = inventoryPath(out, inventory.host)
  await writeJson(path, inventory, {durable: false})
  return path
}

/** A host's inventory.json, schema-checked as it is read; missing or invalid, an error that says which command to run. */
export async function loadInventory(out: string, host: string): Promise<Inventory> {
  const file = inventoryPath(out, host)
  let value: unknown
  try {
    value = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new HoistError('INPUT_MISSING', `cannot read ${file}: ${(error as Error).message}`, `Run \`hoist plan --out ${out}\` first.`, {host})
  }
  const errors = validatorErrors(validateInventory as CompiledValidator, value)
  if (errors.length > 0) throw new HoistError('WORKSPACE_INVALID', `${file} is not a valid inventory: ${errors.slice(0, 5).join('; ')}`, `Run \`hoist plan --out ${out}\` again to rewrite it.`, {host})
  return value as Inventory
}
