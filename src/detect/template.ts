/** `{{name}}` and `{{name|filter}}` in rule emit fields. Unknown names render empty (and drop the entry). */
export type Vars = Record<string, string | undefined>

const FILTERS: Record<string, (v: string) => string> = {
  /** Debian/RPM version → upstream: "5:7.0.15-1~deb12u1" → "7.0.15". */
  upstream: (v) => v.replace(/^\d+:/, '').replace(/[-~+].*$/, ''),
  minor: (v) => FILTERS.upstream!(v).split('.').slice(0, 2).join('.'),
  major: (v) => FILTERS.upstream!(v).split('.')[0] ?? v,
  basename: (v) => v.replace(/\/+$/, '').split('/').pop() ?? v,
  dirname: (v) => v.replace(/\/[^/]*$/, '') || '/',
  stem: (v) => (FILTERS.basename!(v).replace(/\.[^.]+$/, '')),
  slug: (v) => v.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
}

export const TEMPLATE_FILTERS = Object.keys(FILTERS)

/** Renders a template; undefined when a variable it needs has no value. */
export function render(template: string, vars: Vars): string | undefined {
  let missing = false
  const out = template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*(?:\|\s*([a-z]+)\s*)?\}\}/g, (_, name: string, filter?: string) => {
    const value = vars[name]
    if (value === undefined || value === '') {
      missing = true
      return ''
    }
    const fn = filter ? FILTERS[filter] : undefined
    return fn ? fn(value) : value
  })
  return missing ? undefined : out
}
