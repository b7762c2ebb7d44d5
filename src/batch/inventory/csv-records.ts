import {inventoryError, sourceOf} from './types.js'

/** One CSV record and the line it starts on (a quoted field may run over several lines). */
export interface CsvRecord {
  line: number
  fields: string[]
}

/**
 * Reads RFC 4180 records with the leniency spreadsheets need: CRLF or LF, a BOM, spaces around
 * fields and around quoted fields, blank lines and `#` comment lines skipped (a `#` inside a field
 * is data). The delimiter is the caller's: the header decides it.
 */
export function readCsvRecords(text: string, file: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = []
  const blank = (char: string | undefined): boolean => char === ' ' || (char === '\t' && delimiter !== '\t')
  const input = text.replace(/^\uFEFF/, '')
  let line = 1
  let i = 0
  while (i < input.length) {
    const lineEnd = indexOfNewline(input, i)
    const physical = input.slice(i, lineEnd)
    if (physical.trim() === '' || physical.trimStart().startsWith('#')) {
      i = skipNewline(input, lineEnd)
      line++
      continue
    }
    const start = line
    const fields: string[] = []
    // One field per turn; the record ends at an unquoted newline or the end of the text.
    for (;;) {
      while (blank(input[i])) i++
      let value = ''
      if (input[i] === '"') {
        const quoteLine = line
        i++
        for (;;) {
          if (i >= input.length) {
            throw inventoryError(sourceOf(file, quoteLine), 'a quoted field is never closed', 'Close the quote with ", and write a quote inside a quoted field as "".')
          }
          const char = input[i] as string
          if (char === '"' && input[i + 1] === '"') {
            value += '"'
            i += 2
          } else if (char === '"') {
            i++
            break
          } else {
            if (char === '\n') line++
            value += char
            i++
          }
        }
        while (blank(input[i])) i++
        if (i < input.length && input[i] !== delimiter && input[i] !== '\n' && input[i] !== '\r') {
          throw inventoryError(sourceOf(file, line), `unexpected ${JSON.stringify(input[i])} after a closing quote`, 'Quote the whole field, and write a quote inside it as "".')
        }
      } else {
        const start = i
        while (i < input.length && input[i] !== delimiter && input[i] !== '\n' && input[i] !== '\r') i++
        // A quote inside an unquoted field is taken literally, as spreadsheets write it.
        value = input.slice(start, i).trim()
      }
      fields.push(value)
      if (input[i] === delimiter) {
        i++
        continue
      }
      break
    }
    records.push({line: start, fields})
    i = skipNewline(input, i)
    line++
  }
  return records
}

function indexOfNewline(text: string, from: number): number {
  const at = text.indexOf('\n', from)
  return at < 0 ? text.length : at
}

function skipNewline(text: string, at: number): number {
  if (text[at] === '\r') at++
  if (text[at] === '\n') at++
  return at
}

/** The header's delimiter: a comma, else a semicolon (European spreadsheets), else a tab. */
export function detectDelimiter(text: string): string {
  const header = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .find((row) => row.trim() !== '' && !row.trimStart().startsWith('#')) ?? ''
  if (header.includes(',')) return ','
  if (header.includes(';')) return ';'
  if (header.includes('\t')) return '\t'
  return ','
}
