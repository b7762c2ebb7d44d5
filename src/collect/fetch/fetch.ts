import {chaseNamed} from './chase.js'
import {byText, hostPathProblem, isWithinAny, normaliseHostPath} from './host-path.js'
import {DEFAULT_FETCH_CAPS, emptyReport, type FetchCaps, type FetchReport, type FetchRequest, type FetchSink} from './report.js'
import type {FetchRun} from './run.js'
import {SecretNames} from './secret-text.js'
import type {FileSource} from './source.js'
import {makeLinks, walk} from './walk.js'

export {DEFAULT_FETCH_CAPS} from './report.js'
export type {FetchCaps, FetchReport, FetchRequest, FetchSink} from './report.js'

/**
 * Copies the files a plan names from a host into a sink, read-only and bounded: every cap that bites
 * is recorded, secret files are set aside, secret values become named placeholders, setuid bits are
 * dropped, links are kept only when they stay inside what was fetched, and paths the copied files
 * name are fetched too (discovery). Only a lost connection or a local write failure throws; whatever
 * one path does wrong is recorded in the report.
 */
export async function fetchPaths(source: FileSource, requests: FetchRequest[], sink: FetchSink, caps: Partial<FetchCaps> = {}): Promise<FetchReport> {
  const report = emptyReport()
  const accepted = acceptRequests(requests, report)
  const requested = accepted.map((request) => request.path)
  const run: FetchRun = {
    source,
    sink,
    caps: {...DEFAULT_FETCH_CAPS, ...caps},
    report,
    names: new SecretNames(),
    roots: [...requested],
    requested,
    roles: new Map(accepted.map((request) => [request.path, request.role])),
    seen: new Set(),
    written: 0,
    links: [],
    level: 0,
    named: new Map(),
    capsOnce: new Set(),
    notedPorts: new Set(),
    notedRuntimeDirs: new Set(),
  }
  for (const request of accepted) {
    // Below another request: its files are reached (with this role) by the outer walk.
    if (isWithinAny(request.path, requested.filter((other) => other !== request.path))) continue
    await walk(run, request.path, request.role, request.path)
  }
  await chaseNamed(run)
  await makeLinks(run)
  return report
}

/** Absolute, `..`-free paths, normalised, each once (the first role named wins); the rest skipped. */
function acceptRequests(requests: FetchRequest[], report: FetchReport): FetchRequest[] {
  const accepted = new Map<string, FetchRequest>()
  for (const request of requests) {
    const problem = hostPathProblem(request.path)
    if (problem) {
      report.skipped.push({path: request.path, reason: `refused: ${problem}`})
      continue
    }
    const path = normaliseHostPath(request.path)
    if (!accepted.has(path)) accepted.set(path, {path, role: request.role})
  }
  return [...accepted.values()].sort((a, b) => byText(a.path, b.path))
}
