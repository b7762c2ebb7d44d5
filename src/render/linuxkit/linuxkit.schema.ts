/**
 * Hoist's own schema for the linuxkit.yml it writes: strict (unknown keys are errors) and narrower
 * than LinuxKit's (no `trust`, never the `all` capability, component images pinned to a tag, files
 * relative to the root). Tests check every manifest against this and against LinuxKit's own schema.
 */
import {arr, bool, obj, oneOf, str, type Schema} from '../../types/schema-builders.js'

const pinned: Schema = {type: 'string', pattern: '^linuxkit/[a-z0-9-]+:[A-Za-z0-9._-]+$'}
const image: Schema = {type: 'string', pattern: '^[a-z0-9][a-z0-9./_-]*(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$'}
const capability: Schema = {type: 'string', pattern: '^CAP_[A-Z_]+$', not: {enum: ['CAP_ALL']}}
const bind: Schema = {type: 'string', pattern: '^/[^:]*:/[^:]*(:[a-z,]+)?$'}
const id: Schema = {anyOf: [{type: 'integer', minimum: 0}, {type: 'string', minLength: 1}]}

const container = obj(
  {name: {type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$'}, image},
  {
    command: {...arr(str), minItems: 1},
    capabilities: arr(capability),
    ambient: arr(capability),
    binds: arr(bind),
    'binds.add': arr(bind),
    env: arr({type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*='}),
    net: oneOf('none', 'host', 'new'),
    uid: id,
    gid: id,
    noNewPrivileges: bool,
    resources: obj({}, {memory: obj({limit: {type: 'integer', minimum: 1}}), cpu: obj({shares: {type: 'integer', minimum: 2}})}),
  },
)

const file = obj(
  {path: {type: 'string', pattern: '^[^/]'}},
  {directory: bool, contents: str, mode: {type: 'string', pattern: '^0[0-7]{3}$'}},
)

export const linuxkitSchema: Schema = {
  $id: 'https://hoist.dev/schemas/linuxkit.json',
  title: 'Hoist linuxkit.yml',
  ...obj({
    kernel: obj({image: pinned, cmdline: str}),
    init: {...arr(pinned), minItems: 1},
    onboot: arr({...container, properties: {...(container.properties as Record<string, Schema>), image: pinned}}),
    services: arr(container),
    files: arr(file),
  }),
}

/** Names of every key the schema allows on a container, for tests that compare with LinuxKit's. */
export const CONTAINER_KEYS = Object.keys(container.properties as Record<string, Schema>)
