import {readFile} from 'node:fs/promises'
import {HoistError} from '../errors.js'
import type {HostFacts} from '../types/facts.js'
import {assertHostFacts} from '../types/validate.js'
import {recordHost} from './index.js'
import {hostPaths, inside, safeHostName} from './paths.js'
import {readIndex} from './index.js'
import {renderTranscript, type TranscriptHeader} from './transcript.js'
import {writeAtomic, writeJson} from './write.js'

/** Writes a scan: facts.json (schema-checked first), transcript.log, and the host's index entry. */
export async function saveScan(out: string, facts: HostFacts, header: TranscriptHeader): Promise<string> {
  facts.host.name = safeHostName(facts.host.name)
  assertHostFacts(facts, `facts of ${facts.host.name}`)
  const paths = hostPaths(out, facts.host.name)
  // Facts are what a rescan would cost to get back: flushed to disk. The rest can be derived again.
  await writeJson(paths.facts, facts)
  await writeAtomic(paths.transcript, renderTranscript(facts, header), {durable: false})
  await recordHost(out, {
    host: facts.host.name,
    target: facts.host.target,
    transport: facts.host.transport,
    status: 'scanned',
    scannedAt: facts.collectedAt,
    probeErrors: facts.probeErrors.length,
  })
  return paths.facts
}

export async function saveFailure(out: string, host: string, target: string, transport: string, error: HoistError): Promise<void> {
  await recordHost(out, {host, target, transport, status: 'failed', scannedAt: new Date().toISOString(), error: error.toJSON()})
}

export async function loadFacts(out: string, host: string): Promise<HostFacts> {
  const path = hostPaths(out, host).facts
  let value: unknown
  try {
    value = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new HoistError('INPUT_MISSING', `cannot read ${path}: ${(error as Error).message}`, `Scan the host first: hoist scan ${host} --out ${out}`)
  }
  assertHostFacts(value, path)
  return value
}

/** The hosts of the workspace that have facts, in name order. */
export async function scannedHosts(out: string): Promise<string[]> {
  const index = await readIndex(out)
  const hosts = Object.values(index.hosts).filter((h) => h.status === 'scanned').map((h) => safeHostName(h.host))
  if (hosts.length === 0) {
    throw new HoistError('INPUT_MISSING', `no scanned host in ${inside(out, '.')}`, `Scan a host first: hoist scan HOST --out ${out}`)
  }
  return hosts.sort()
}
