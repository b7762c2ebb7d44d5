import {isAbsolute, join, relative, resolve} from 'node:path'
import {HoistError} from '../errors.js'

export const DEFAULT_OUT = 'hoist-out'

/**
 * A host's folder name. Host names can come from the host itself (an offline snapshot names its
 * own hostname), so they are reduced to a safe alphabet: nothing from a host can climb out of
 * the output folder.
 */
export function safeHostName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 100)
  return cleaned === '' ? 'host' : cleaned
}

export interface HostPaths {
  dir: string
  facts: string
  transcript: string
}

export function hostPaths(out: string, host: string): HostPaths {
  const dir = inside(out, join('hosts', safeHostName(host)))
  return {dir, facts: join(dir, 'facts.json'), transcript: join(dir, 'transcript.log')}
}

export function indexPath(out: string): string {
  return inside(out, 'index.json')
}

/** Joins a relative path under the output folder, refusing anything that would leave it. */
export function inside(out: string, path: string): string {
  const root = resolve(out)
  const full = resolve(root, path)
  const rel = relative(root, full)
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new HoistError('WORKSPACE_INVALID', `refusing to write outside the output folder: ${path}`, 'This is a bug or a hostile input; report it with the host name that caused it.')
  }
  return full
}
