// Local stand-ins for the base images generated Dockerfiles start FROM. No registry is reachable
// here, so the Debian 12 base is a debootstrap minbase (build-minbase.sh, cached like the
// fixture hosts' trees) imported into podman's storage under the names Dockerfiles use; builds
// then run with --pull=never. buildah shares that storage, so both engines see it.
import {spawn} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {detectEngine} from '../../../src/verify/engine.js'
import {runProcess} from '../../../src/verify/process.js'
import {CACHE} from '../hosts/teardown.js'
import {containersEnv} from './engine-env.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const BUILD_SCRIPT = join(HERE, 'build-minbase.sh')
const IMAGE = 'bookworm-minbase'
/**
 * The names a Dockerfile may use for Debian 12. Podman stores a short name it is asked to tag as
 * localhost/debian:12; `FROM debian:12` finds that or docker.io/library/debian:12, one image.
 */
const DEBIAN_12 = [
  'docker.io/library/debian:12',
  'docker.io/library/debian:bookworm',
  'debian:12',
  'debian:bookworm',
]
/** The cache stamp the image was imported from: a rebuilt tarball means a re-import. */
const STAMP_LABEL = 'org.hoist.fixture-stamp'

let ensured: Promise<number> | undefined

/**
 * Makes `tag` (debian:12 and its aliases) present in local storage, built from the cached
 * minbase tarball. Idempotent and cheap when done: it checks the image's stamp label. Resolves
 * to the seconds the import took (0 when the image was already there).
 */
export function ensureBaseImage(tag = 'debian:12'): Promise<number> {
  if (!DEBIAN_12.includes(tag)) {
    return Promise.reject(new Error(`no local stand-in for ${tag}: the fixtures have ${DEBIAN_12.join(', ')}`))
  }
  ensured ??= importBase().catch((error: unknown) => {
    ensured = undefined
    throw error
  })
  return ensured
}

async function importBase(): Promise<number> {
  containersEnv()
  await buildTarball()
  const stamp = (await readFile(join(CACHE, `${IMAGE}.tar.stamp`), 'utf8')).trim()
  if ((await Promise.all(DEBIAN_12.map(imageStamp))).every((s) => s === stamp)) return 0

  const engine = await detectEngine('podman')
  // A private tag first, then the public names: a concurrent run importing the same tarball
  // only ever moves a name from one complete, identical image to another.
  const scratch = `localhost/hoist-base-import:${process.pid}`
  const imported = await engine.importRootfs(join(CACHE, `${IMAGE}.tar`), scratch, [
    'CMD ["/bin/bash"]',
    `LABEL ${STAMP_LABEL}=${stamp}`,
  ])
  if (!imported.ok) throw new Error(`podman import of ${IMAGE}.tar failed:\n${imported.log}`)
  for (const name of DEBIAN_12) {
    const tagged = await engine.tag(scratch, name)
    if (!tagged.ok) throw new Error(`podman tag ${name} failed:\n${tagged.log}`)
  }
  await engine.removeImage(scratch) // only the scratch name: the image keeps its other names
  return imported.seconds
}

/** The stamp label of a local image, or '' when it is absent. */
async function imageStamp(name: string): Promise<string> {
  const format = `{{index .Config.Labels "${STAMP_LABEL}"}}`
  const result = await runProcess('podman', ['image', 'inspect', '--format', format, name], {timeoutMs: 60_000})
  return result.exitCode === 0 ? result.stdout.toString('utf8').trim() : ''
}

/** build-minbase.sh: a no-op when the cache is fresh, about 45 s of debootstrap when not. */
async function buildTarball(): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], {stdio: ['ignore', 'inherit', 'inherit']})
    child.on('error', reject).on('exit', resolve)
  })
  if (code !== 0) throw new Error(`${BUILD_SCRIPT} failed (exit ${code}); its output is above`)
}
