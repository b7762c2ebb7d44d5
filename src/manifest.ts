import {rmSync, writeFileSync} from 'node:fs'
import {Config, type Interfaces} from '@oclif/core'
import {packagePath} from './paths.js'

/**
 * Writes oclif.manifest.json after a build (`npm run build`). With it, oclif loads only the
 * command being run instead of importing every command to learn their flags: a scan starts
 * about 70 ms sooner. It is generated, never committed, so it cannot drift from dist/.
 */
// oclif trusts an existing manifest: remove it first, or a new command stays invisible.
rmSync(packagePath('oclif.manifest.json'), {force: true})
const config = await Config.load({root: packagePath()})
const root = config.getPluginsList().find((p) => p.root === config.root)
if (!root) throw new Error('hoist: oclif did not load the root plugin')
// The loaded plugin carries its manifest; oclif's IPlugin interface just does not declare it.
const {manifest} = root as unknown as {manifest: Interfaces.Manifest}
writeFileSync(packagePath('oclif.manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
