import type {Dockerfile} from 'dockerfile-ast'
import {finding, parseStages} from './support/stages.js'
import type {LintRule} from './types.js'

const ID = 'hoist/pinned-base-image'
const DIGEST = /@sha256:[0-9a-f]{64}$/
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-[^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))/g

/** Why an image reference is not pinned, or null when it is. */
function unpinned(image: string): string | null {
  if (DIGEST.test(image)) return null
  if (image.includes('@')) return `${image} has a digest that is not sha256:<64 hex>`
  // A colon before the last slash is a registry port, not a tag.
  const name = image.slice(image.lastIndexOf('/') + 1)
  const colon = name.lastIndexOf(':')
  if (colon === -1) return `${image} has no tag, so it means :latest`
  const tag = name.slice(colon + 1)
  return tag === 'latest' ? `${image} uses the moving tag latest` : null
}

/** Replaces the variables `values` knows; returns the names it does not. */
function substitute(text: string, values: Map<string, string>): {text: string; unset: string[]} {
  const unset: string[] = []
  const replaced = text.replace(VARIABLE, (whole, braced?: string, bare?: string) => {
    const name = (braced ?? bare)!
    const value = values.get(name)
    if (value === undefined) unset.push(name)
    return value ?? whole
  })
  return {text: replaced, unset}
}

/**
 * Substitutes the defaults of the ARGs before the first FROM, the only variables a FROM sees;
 * a default may itself use an earlier ARG. Explains instead when a variable has no default.
 */
function expand(dockerfile: Dockerfile, image: string): {image: string} | {error: string} {
  const defaults = new Map<string, string>()
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty()
    const value = property?.getValue()
    if (property && value != null) defaults.set(property.getName(), substitute(value, defaults).text)
  }
  const {text, unset} = substitute(image, defaults)
  if (unset.length > 0) return {error: `${image} uses ${unset.join(', ')} without an ARG default before the first FROM`}
  if (text.includes('$')) return {error: `${image} uses a substitution this check cannot follow`}
  return {image: text}
}

export const pinnedBaseImage: LintRule = {
  id: ID,
  title: 'Every base image is pinned by a tag other than latest, or by digest',
  check(dockerfile) {
    return parseStages(dockerfile).flatMap((stage) => {
      const image = stage.from.getImage()
      if (stage.parent || image === null || image.toLowerCase() === 'scratch') return []
      const resolved = expand(dockerfile, image)
      if ('error' in resolved) return [finding(ID, stage.from, resolved.error)]
      const why = unpinned(resolved.image)
      return why ? [finding(ID, stage.from, why)] : []
    })
  },
}
