import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {build, type Plugin} from 'esbuild'
import {packagePath} from './paths.js'

/**
 * `npm run build` (after the type check): bundles the CLI into dist/ with esbuild, then writes
 * oclif.manifest.json.
 *
 * Why a bundle: a scan is mostly waiting on the host, and the rest was Node resolving, reading
 * and compiling a few hundred small files (oclif alone is ~50, ssh2 ~40). One entry per command
 * plus shared chunks loads only what the command imports, from a handful of files.
 * Why the manifest: with it, oclif loads only the command being run instead of importing every
 * command to learn their flags. Both are generated, never committed, so neither drifts from src/.
 */
const EXTERNAL = [
  'typescript', // oclif's development mode only; never needed by the built CLI
  'cpu-features', // ssh2's optional native probe of AES support, loaded from its package
]

/**
 * ssh2 loads its optional native crypto addon by a path relative to its own files; in the bundle
 * that path is taken from the installed ssh2 package instead (ssh2 falls back to JS without it).
 */
const sshNativeAddon: Plugin = {
  name: 'ssh2-native-addon',
  setup(builder) {
    builder.onResolve({filter: /sshcrypto\.node$/}, () => ({path: 'ssh2/lib/protocol/crypto/build/Release/sshcrypto.node', external: true}))
  },
}

function commandFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return commandFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/**
 * oclif sorts the command list with localeCompare on every start; the first localeCompare of a
 * process loads ICU's collation data (~11 ms here). Hoist's command ids are lowercase ASCII, so
 * comparing code units gives the same order. The build fails if oclif's line changes, so the
 * patch is never silently lost.
 */
const oclifCommandSort: Plugin = {
  name: 'oclif-command-sort',
  setup(builder) {
    builder.onLoad({filter: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, (args) => {
      const source = readFileSync(args.path, 'utf8')
      const sort = '.sort((a, b) => a.id.localeCompare(b.id))'
      if (!source.includes(sort)) throw new Error(`${args.path} no longer sorts commands with "${sort}": update oclifCommandSort in src/build.ts`)
      return {contents: source.replace(sort, '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'), loader: 'js'}
    })
  },
}

const root = packagePath()
rmSync(join(root, 'dist'), {recursive: true, force: true})
// oclif trusts an existing manifest: remove it first, or a new command stays invisible.
rmSync(join(root, 'oclif.manifest.json'), {force: true})

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts', ...commandFiles(join(root, 'src/commands')).map((file) => relative(root, file))],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  external: EXTERNAL,
  plugins: [sshNativeAddon, oclifCommandSort],
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins, and
  // ssh2 names __dirname (for Windows' Pageant only).
  banner: {js: "import {createRequire as __hoistRequire} from 'node:module'; const require = __hoistRequire(import.meta.url); const __dirname = import.meta.dirname;"},
  logLevel: 'warning',
})

const {Config} = await import('@oclif/core')
const config = await Config.load({root})
const plugin = config.getPluginsList().find((p) => p.root === config.root)
if (!plugin) throw new Error('hoist: oclif did not load the root plugin')
// The loaded plugin carries its manifest; oclif's IPlugin interface just does not declare it.
const {manifest} = plugin as unknown as {manifest: import('@oclif/core').Interfaces.Manifest}
writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
