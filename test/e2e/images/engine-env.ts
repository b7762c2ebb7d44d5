import {fileURLToPath} from 'node:url'

/** The containers.conf beside this file: what podman and buildah need on this machine kind. */
export const CONTAINERS_CONF = fileURLToPath(new URL('containers.conf', import.meta.url))

/**
 * Points podman and buildah at CONTAINERS_CONF. The engine adapter passes the environment
 * through, as `hoist verify` does for a user's own setting; the tests set it for themselves.
 */
export function containersEnv(): string {
  process.env.CONTAINERS_CONF = CONTAINERS_CONF
  return CONTAINERS_CONF
}
