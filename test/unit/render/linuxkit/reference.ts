import {existsSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

// LinuxKit's own schema and examples are reference data for the tests (../shared/linuxkit beside
// the project), never copied into it. A clone elsewhere finds them through HOIST_LINUXKIT_DIR or
// the workplace's fixed path.
const CANDIDATES = [process.env.HOIST_LINUXKIT_DIR, resolve('../shared/linuxkit'), '/work/shared/linuxkit'].filter((d): d is string => Boolean(d))

export function linuxkitReference(file: string): string {
  const dir = CANDIDATES.find((d) => existsSync(join(d, 'schema.json')))
  if (!dir) throw new Error(`LinuxKit's schema.json is in none of ${CANDIDATES.join(', ')}: set HOIST_LINUXKIT_DIR to the folder holding it`)
  return readFileSync(join(dir, file), 'utf8')
}
