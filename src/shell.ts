/** A string as one POSIX shell word: as it is when plainly safe, else single-quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}

/** argv as one shell command line. */
export function shellLine(argv: string[]): string {
  return argv.map(shellWord).join(' ')
}
