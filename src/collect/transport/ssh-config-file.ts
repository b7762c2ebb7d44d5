import {readdir, readFile, stat} from 'node:fs/promises'
import {isAbsolute, join} from 'node:path'
import SSHConfig, {glob, LineType, type Directive, type Line, type Section} from 'ssh-config'
import {HoistError} from '../../errors.js'
import {globToRegExp} from '../../glob.js'

/** OpenSSH's READCONF_MAX_DEPTH: Include nests at most this deep. */
const MAX_INCLUDE_DEPTH = 16

/** An ssh_config file with every Include it names loaded beside it (ssh-config does not follow Include). */
export interface LoadedConfig {
  file: string
  config: SSHConfig
  /** For each Include line, the files it names, in glob order. */
  includes: Map<Directive, LoadedConfig[]>
}

export interface ConfigQuery {
  host: string
  user?: string
}

function isDirective(line: Line): line is Directive | Section {
  return line.type === LineType.DIRECTIVE
}

function isSection(line: Directive): line is Section {
  return 'config' in line
}

function values(value: Directive['value']): string[] {
  return typeof value === 'string' ? [value] : value.map((part) => part.val)
}

export async function loadSshConfig(file: string, homeDir: string, depth = 0): Promise<LoadedConfig> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new HoistError('SSH_CONFIG_INVALID', `Cannot read ssh_config file ${file}: ${(error as Error).message}`, 'Check the path given for the ssh_config file, or leave it out to use ~/.ssh/config.', {cause: error})
  }
  let config: SSHConfig
  try {
    config = SSHConfig.parse(text)
  } catch (error) {
    throw new HoistError('SSH_CONFIG_INVALID', `Cannot parse ssh_config file ${file}: ${(error as Error).message}`, `Fix the line in ${file} (check quotes), then run \`ssh -G HOST\` to confirm OpenSSH accepts it.`, {cause: error})
  }
  const includes = new Map<Directive, LoadedConfig[]>()
  const visit = async (lines: Line[]): Promise<void> => {
    for (const line of lines) {
      if (!isDirective(line)) continue
      if (isSection(line)) {
        await visit(line.config)
        continue
      }
      if (!/^include$/i.test(line.param)) continue
      if (depth + 1 > MAX_INCLUDE_DEPTH) {
        throw new HoistError('SSH_CONFIG_INVALID', `Include nested deeper than ${MAX_INCLUDE_DEPTH} levels in ${file}`, 'Look for an Include loop (a file that includes itself, directly or through others).')
      }
      const loaded: LoadedConfig[] = []
      for (const pattern of values(line.value)) {
        for (const path of await expandIncludePath(pattern, homeDir)) loaded.push(await loadSshConfig(path, homeDir, depth + 1))
      }
      includes.set(line, loaded)
    }
  }
  await visit(config)
  return {file, config, includes}
}

/** Relative Include paths are under ~/.ssh for a user config (ssh_config(5)); missing files are ignored as OpenSSH does. */
async function expandIncludePath(pattern: string, homeDir: string): Promise<string[]> {
  let path = pattern === '~' ? homeDir : pattern.startsWith('~/') ? join(homeDir, pattern.slice(2)) : pattern
  if (!isAbsolute(path)) path = join(homeDir, '.ssh', path)
  let candidates = ['/']
  for (const segment of path.split('/').filter((part) => part !== '')) {
    if (!/[*?[]/.test(segment)) {
      candidates = candidates.map((dir) => join(dir, segment))
      continue
    }
    const matcher = globToRegExp(segment, {segment: true})
    const next: string[] = []
    for (const dir of candidates) {
      const names = await readdir(dir).catch(() => [] as string[])
      for (const name of names.sort()) if (matcher.test(name)) next.push(join(dir, name))
    }
    candidates = next
  }
  const files: string[] = []
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined)
    if (info?.isFile()) files.push(candidate)
  }
  return files
}


function cloneSection(section: Section): Section {
  return {...section, config: new SSHConfig()}
}

/**
 * Whether a section is active for this query, decided before compute so an Include inside it can be
 * taken or dropped (OpenSSH reads an Include inside an inactive block as never matching). A Match block
 * is judged on its own, without settings earlier lines would have made: close enough for Include.
 */
function sectionActive(section: Section, query: ConfigQuery): boolean {
  if (/^host$/i.test(section.param)) return glob(values(section.value), query.host)
  const probe = new SSHConfig()
  probe.push({...section, config: SSHConfig.parse('HoistProbe yes')})
  const computed = probe.compute({Host: query.host, ...(query.user ? {User: query.user} : {})}, {ignoreCase: true, matchExec: false})
  return computed['hoistprobe'] === 'yes'
}

/**
 * One flat SSHConfig for this query, with every Include spliced in where it stood, so ssh-config's
 * compute() (first value wins, IdentityFile accumulates) sees the lines in OpenSSH's order.
 */
export function flattenForQuery(loaded: LoadedConfig, query: ConfigQuery): SSHConfig {
  const out = new SSHConfig()
  emit(loaded, loaded.config, undefined, query, out)
  return out
}

function emit(loaded: LoadedConfig, lines: Line[], enclosing: Section | undefined, query: ConfigQuery, out: SSHConfig): void {
  let carrier: Section | undefined
  for (const line of lines) {
    if (!isDirective(line)) continue
    // compute() would run nslookup for CanonicalizeHostName; Hoist connects to the name as given.
    if (/^canonicalizehostname$/i.test(line.param)) continue
    if (isSection(line)) {
      emit(loaded, line.config, line, query, out)
      carrier = undefined
      continue
    }
    const included = loaded.includes.get(line)
    if (included !== undefined) {
      if (enclosing !== undefined && !sectionActive(enclosing, query)) continue
      for (const child of included) emit(child, child.config, enclosing, query, out)
      carrier = undefined
      continue
    }
    if (enclosing === undefined) {
      out.push(line)
      continue
    }
    if (carrier === undefined) {
      carrier = cloneSection(enclosing)
      out.push(carrier)
    }
    carrier.config.push(line)
  }
}

/** Every file read, for messages. */
export function configFiles(loaded: LoadedConfig): string[] {
  const files = [loaded.file]
  for (const children of loaded.includes.values()) for (const child of children) files.push(...configFiles(child))
  return files
}
