/** Reading the figures a rendered report.html shows, to check them against report.json (unit and e2e tests). */

/** The [data-figure] spans of the HTML: their JSON path and the text shown. */
export function shownFigures(html: string): {path: string; text: string}[] {
  const unescape = (t: string) => t.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, '\'').replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`')
  return [...html.matchAll(/<span class="fig" data-figure="([^"]+)"[^>]*>([^<]*)<\/span>/g)].map((m) => ({path: m[1]!, text: unescape(m[2]!)}))
}

export function at(report: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], report)
}
