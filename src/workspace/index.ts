import {readFile} from 'node:fs/promises'
import {HoistError} from '../errors.js'
import {indexPath, safeHostName} from './paths.js'
import {writeJson} from './write.js'

export type HostStatus = 'scanned' | 'failed'

export interface IndexEntry {
  host: string
  target?: string
  transport: string
  status: HostStatus
  scannedAt: string
  error?: {code: string; message: string; suggestion: string}
  probeErrors?: number
}

export interface WorkspaceIndex {
  version: 1
  hosts: Record<string, IndexEntry>
}

export async function readIndex(out: string): Promise<WorkspaceIndex> {
  let text: string
  try {
    text = await readFile(indexPath(out), 'utf8')
  } catch {
    return {version: 1, hosts: {}}
  }
  try {
    const parsed = JSON.parse(text) as WorkspaceIndex
    if (parsed?.version !== 1 || typeof parsed.hosts !== 'object') throw new Error('unknown layout')
    return parsed
  } catch (error) {
    throw new HoistError('WORKSPACE_INVALID', `${indexPath(out)} cannot be read: ${(error as Error).message}`, 'Move the file aside; `hoist scan` writes a new one (facts already in hosts/ stay).')
  }
}

// Updates from concurrent scans in this process are applied one after the other.
let queue: Promise<unknown> = Promise.resolve()

export function recordHost(out: string, entry: IndexEntry): Promise<void> {
  const next = queue.then(async () => {
    const index = await readIndex(out)
    index.hosts[safeHostName(entry.host)] = entry
    await writeJson(indexPath(out), index, {durable: false})
  })
  queue = next.catch(() => {})
  return next
}
