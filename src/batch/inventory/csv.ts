import {parseTargetSpec} from '../../collect/transport/target.js'
import {HoistError} from '../../errors.js'
import {detectDelimiter, readCsvRecords, type CsvRecord} from './csv-records.js'
import {checkHostName, inventoryError, parsePortValue, sortedUnique, sourceOf, type InventoryHost} from './types.js'

const COLUMNS = ['host', 'user', 'port', 'identity', 'tags', 'name'] as const
type Column = (typeof COLUMNS)[number]

const COLUMN_HELP = `Use only the columns ${COLUMNS.join(', ')} (host is required), in any order.`

/**
 * A CSV inventory: a header row naming the columns, then one host per row.
 *
 * `host` takes what `hoist scan` takes (`[user@]host[:port]`), the other columns fill in or must agree.
 * `tags` (separated by `;`, `,` or spaces) become the host's groups; `name` defaults to the address.
 * Strict on structure (unknown or repeated columns, extra fields, bad ports and duplicate names are
 * errors naming the line), lenient on layout (quoting, comments, blank lines, `;` or tab delimiters).
 */
export function parseCsvInventory(text: string, file: string): InventoryHost[] {
  const records = readCsvRecords(text, file, detectDelimiter(text))
  const header = records.shift()
  if (header === undefined) return []
  const columns = readHeader(header, file)
  const hosts: InventoryHost[] = []
  const seen = new Map<string, number>()
  for (const record of records) {
    const host = readRow(record, columns, file)
    const earlier = seen.get(host.name)
    if (earlier !== undefined) {
      throw inventoryError(sourceOf(file, record.line), `host name ${JSON.stringify(host.name)} is already used on line ${earlier}`, 'Give each row its own name (the name column), or remove the duplicate row.')
    }
    seen.set(host.name, record.line)
    hosts.push(host)
  }
  return hosts
}

function readHeader(header: CsvRecord, file: string): Map<Column, number> {
  const where = sourceOf(file, header.line)
  const names = header.fields.map((field) => field.trim().toLowerCase())
  const unknown = names.filter((name) => !(COLUMNS as readonly string[]).includes(name))
  if (unknown.length > 0) {
    const list = unknown.map((name) => (name === '' ? '(empty)' : JSON.stringify(name))).join(', ')
    throw inventoryError(where, `unknown column${unknown.length > 1 ? 's' : ''} ${list} in the header`, COLUMN_HELP)
  }
  const columns = new Map<Column, number>()
  names.forEach((name, index) => {
    if (columns.has(name as Column)) throw inventoryError(where, `column ${JSON.stringify(name)} appears twice in the header`, COLUMN_HELP)
    columns.set(name as Column, index)
  })
  if (!columns.has('host')) throw inventoryError(where, 'the header has no host column', `The first row must name the columns: ${COLUMN_HELP}`)
  return columns
}

function readRow(record: CsvRecord, columns: Map<Column, number>, file: string): InventoryHost {
  const source = sourceOf(file, record.line)
  if (record.fields.length > columns.size) {
    throw inventoryError(source, `${record.fields.length} fields but the header names ${columns.size} column${columns.size === 1 ? '' : 's'}`, 'Quote fields that contain the delimiter ("a,b"), or add the missing column to the header.')
  }
  const cell = (column: Column): string | undefined => {
    const index = columns.get(column)
    const value = index === undefined ? undefined : record.fields[index]?.trim()
    return value === '' ? undefined : value
  }
  const address = cell('host')
  if (address === undefined) throw inventoryError(source, 'the host column is empty', 'Write the address or name of the host to connect to in the host column.')
  let spec
  try {
    spec = parseTargetSpec(address)
  } catch (error) {
    if (!(error instanceof HoistError)) throw error
    throw inventoryError(source, error.message, error.suggestion)
  }
  const portText = cell('port')
  const port = portText === undefined ? undefined : parsePortValue(portText)
  if (portText !== undefined && port === undefined) {
    throw inventoryError(source, `port ${JSON.stringify(portText)} is not a number from 1 to 65535`, 'Write the SSH port as a number, or leave the port column empty for 22.')
  }
  const user = agree(spec.user, cell('user'), 'user', source)
  const finalPort = agree(spec.port, port, 'port', source)
  const name = cell('name') ?? spec.host
  checkHostName(name, source)
  const identityFile = cell('identity')
  const tags = (cell('tags') ?? '').split(/[;,\s]+/).filter((tag) => tag !== '')
  return {
    name,
    host: spec.host,
    ...(finalPort !== undefined ? {port: finalPort} : {}),
    ...(user !== undefined ? {user} : {}),
    ...(identityFile !== undefined ? {identityFile} : {}),
    groups: sortedUnique(tags),
    source,
  }
}

/** `user@host:port` in the host column and the user/port columns may both be used, if they agree. */
function agree<T>(fromHost: T | undefined, fromColumn: T | undefined, what: string, source: string): T | undefined {
  if (fromHost !== undefined && fromColumn !== undefined && fromHost !== fromColumn) {
    throw inventoryError(source, `the host column says ${what} ${String(fromHost)} but the ${what} column says ${String(fromColumn)}`, `Give the ${what} in one place: the ${what} column, or the host column.`)
  }
  return fromColumn ?? fromHost
}
