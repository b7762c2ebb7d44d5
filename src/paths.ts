import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

let root: string | undefined

/** The installed package's root (where package.json is), from src/ under tsx or dist/ when built. */
export function packageRoot(): string {
  if (root) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('hoist: cannot find its own package.json')
    dir = parent
  }
  root = dir
  return dir
}

export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts)
}
