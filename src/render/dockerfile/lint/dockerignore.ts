import {finding} from './support/stages.js'
import type {LintRule} from './types.js'

const ID = 'hoist/dockerignore'

export const dockerignore: LintRule = {
  id: ID,
  title: 'The build context has a .dockerignore, so stray host files do not reach the image',
  check(_dockerfile, context) {
    if (context.hasDockerignore) return []
    return [finding(ID, 1, 'no .dockerignore beside the Dockerfile: everything in the build context is sent to the builder')]
  },
}
