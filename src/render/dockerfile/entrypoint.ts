import type {FetchReport} from '../../collect/fetch/report.js'
import {shellWord} from '../../shell.js'

/** The copied files holding placeholders, each once. */
export function placeholderFiles(fetched: Pick<FetchReport, 'secrets'> | undefined): string[] {
  return [...new Set((fetched?.secrets ?? []).map((s) => s.file))]
}

export interface EntrypointInput {
  service: string
  /** Environment variables whose values were redacted on the host. */
  envSecrets: string[]
  /** Copied files holding @@HOIST_SECRET:NAME@@ placeholders. */
  files: string[]
  /** Secret files left on the host (keys, keystores): NAME → the path the original read. */
  secretFiles: {name: string; path: string}[]
}

// awk (mawk, gawk and busybox all have ENVIRON and getline from a file) replaces each placeholder
// with /run/secrets/NAME, else $NAME; a value never supplied stays a placeholder and is named.
const RENDER = String.raw`
function value(name,   f, line, v, n) {
  f = "/run/secrets/" name
  while ((getline line < f) > 0) { v = n++ ? v "\n" line : line }
  close(f)
  if (n) return v
  if (name in ENVIRON) return ENVIRON[name]
  missing[name] = 1
  return "@@HOIST_SECRET:" name "@@"
}
{
  out = ""; rest = $0
  while (match(rest, /@@HOIST_SECRET:[A-Za-z0-9_]+@@/)) {
    out = out substr(rest, 1, RSTART - 1) value(substr(rest, RSTART + 15, RLENGTH - 17))
    rest = substr(rest, RSTART + RLENGTH)
  }
  print out rest
}
END { for (n in missing) printf "hoist: secret %s was not supplied (/run/secrets/%s or $%s): left as a placeholder in %s\n", n, n, n, FILENAME > "/dev/stderr" }`

/**
 * The image's entrypoint when the original had secrets: it puts each value back where the original
 * had it (environment variable, config file, key file) from what the engine supplies at run time,
 * then execs the service's command. The values are never in the image or the output folder.
 */
export function entrypointScript(input: EntrypointInput): string {
  const lines = [
    '#!/bin/sh',
    `# Hoist entrypoint for ${input.service}: supplies at run time the values redacted on the host,`,
    '# from /run/secrets/NAME (compose/Kubernetes secrets) or the environment variable NAME.',
    'set -eu',
  ]
  for (const name of input.envSecrets) {
    lines.push(`if [ -z "\${${name}:-}" ] && [ -r /run/secrets/${name} ]; then ${name}=$(cat /run/secrets/${name}); export ${name}; fi`)
  }
  if (input.files.length > 0) {
    lines.push(`render=$(cat <<'AWK'${RENDER}\nAWK\n)`)
    lines.push('tmp=$(mktemp)')
    for (const file of input.files) lines.push(`awk "$render" ${shellWord(file)} >"$tmp" && cat "$tmp" >${shellWord(file)}`)
    lines.push('rm -f "$tmp"')
  }
  for (const s of input.secretFiles) {
    lines.push(`if [ -r /run/secrets/${s.name} ]; then cp /run/secrets/${s.name} ${shellWord(s.path)}; else echo "hoist: secret file ${s.name} (${s.path}) was not supplied" >&2; fi`)
  }
  lines.push('exec "$@"', '')
  return lines.join('\n')
}
