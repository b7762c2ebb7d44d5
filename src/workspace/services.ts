import {chmod, mkdir, readFile, rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import type {FetchReport} from '../collect/fetch/report.js'
import {HoistError} from '../errors.js'
import type {Artifacts} from '../types/artifacts.js'
import {hostPaths, inside} from './paths.js'
import {writeAtomic, writeJson} from './write.js'

/** A service's build context folder: hosts/<host>/services/<service>/. Service names are plan-checked. */
export function serviceDir(out: string, host: string, service: string): string {
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(service)) {
    throw new HoistError('PLAN_INVALID', `service name ${JSON.stringify(service)} is not a safe folder name`, 'Use lower-case letters, digits, ".", "_" and "-" in plan.yaml.')
  }
  return inside(hostPaths(out, host).dir, join('services', service))
}

/** Empties a service folder before it is generated again, so nothing stale from an earlier run stays in the image. */
export async function resetServiceDir(dir: string): Promise<void> {
  await rm(dir, {recursive: true, force: true})
  await mkdir(dir, {recursive: true})
}

/** Files Hoist writes itself (Dockerfile, entrypoint, migrate.sh), relative to the service folder. */
export async function writeServiceFiles(dir: string, files: {path: string; content: string; mode: number}[]): Promise<void> {
  for (const file of files) {
    const path = inside(dir, file.path)
    await mkdir(dirname(path), {recursive: true})
    await writeAtomic(path, file.content, {durable: false})
    await chmod(path, file.mode)
  }
}

export function writeFetchReport(dir: string, report: FetchReport): Promise<void> {
  return writeJson(join(dir, 'context.json'), report, {durable: false})
}

export function artifactsPath(out: string, host: string): string {
  return join(hostPaths(out, host).dir, 'artifacts.json')
}

export function writeArtifacts(out: string, artifacts: Artifacts): Promise<void> {
  return writeJson(artifactsPath(out, artifacts.host), artifacts)
}

export async function loadArtifacts(out: string, host: string): Promise<Artifacts> {
  const file = artifactsPath(out, host)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new HoistError('INPUT_MISSING', `no generated services for ${host} (${file})`, 'Run `hoist generate` first.', {host})
  }
  return JSON.parse(text) as Artifacts
}

/** A host-level file generate writes (compose.yaml, linuxkit.yml, …). */
export function writeHostFile(out: string, host: string, name: string, content: string): Promise<void> {
  return writeAtomic(inside(hostPaths(out, host).dir, name), content, {durable: false})
}
