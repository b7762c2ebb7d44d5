/**
 * Hoist's own schema for the compose.yaml it writes: strict (unknown keys are errors) and narrower
 * than the Compose specification, so a change to the renderer that emits something new must be
 * made here on purpose too. Tests also check the output against the Compose specification itself.
 */
import {arr, map, obj, oneOf, port, str, type Schema} from '../../types/schema-builders.js'

const name: Schema = {type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$'}
const envName: Schema = {type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$'}
const duration: Schema = {type: 'string', pattern: '^\\d+s$'}
const memory: Schema = {type: 'string', pattern: '^\\d+M$'}
const capability: Schema = {type: 'string', pattern: '^CAP_[A-Z_]+$', not: {enum: ['CAP_ALL']}}

const service = obj(
  {
    build: obj({context: {type: 'string', pattern: '^services/'}, dockerfile: str}),
    image: str,
    user: {type: 'string', minLength: 1},
    restart: oneOf('unless-stopped', 'no'),
    labels: map(str),
    cap_drop: {type: 'array', items: {const: 'ALL'}, minItems: 1, maxItems: 1},
    deploy: obj({
      resources: obj({
        limits: obj({memory}),
        reservations: obj({cpus: {type: 'number', exclusiveMinimum: 0}, memory}),
      }),
    }),
  },
  {
    profiles: arr(oneOf('batch')),
    ports: arr(obj({target: port, published: {type: 'string', pattern: '^\\d+$'}, protocol: oneOf('tcp', 'udp')}, {host_ip: oneOf('127.0.0.1')})),
    volumes: arr(obj({type: {const: 'volume'}, source: name, target: {type: 'string', pattern: '^/'}})),
    secrets: arr(envName),
    healthcheck: obj({test: {type: 'array', items: [{const: 'CMD-SHELL'}, str], minItems: 2, additionalItems: false}, interval: duration, timeout: duration, retries: {type: 'integer', minimum: 1}, start_period: duration}),
    depends_on: {type: 'object', additionalProperties: obj({condition: oneOf('service_started', 'service_healthy')})},
    cap_add: {...arr(capability), minItems: 1},
  },
)

export const composeSchema: Schema = {
  $id: 'https://hoist.dev/schemas/compose.json',
  title: 'Hoist compose.yaml',
  ...obj(
    {name: {type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$'}, services: {type: 'object', propertyNames: name, additionalProperties: service}},
    {
      volumes: {type: 'object', propertyNames: name, additionalProperties: obj({labels: map(str)})},
      // A secret is only ever a file under $HOIST_SECRETS_DIR (outside the output folder), never a value here.
      secrets: {type: 'object', propertyNames: envName, additionalProperties: obj({file: {type: 'string', pattern: '^\\$\\{HOIST_SECRETS_DIR:\\?[^}]*\\}/[A-Za-z_][A-Za-z0-9_]*$'}})},
    },
  ),
}
