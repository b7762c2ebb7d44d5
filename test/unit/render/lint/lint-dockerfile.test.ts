import {DockerfileParser} from 'dockerfile-ast'
import {validate} from 'dockerfile-utils'
import {describe, expect, it} from 'vitest'
import {lintDockerfile, validateDockerfile} from '../../../../src/render/dockerfile/lint/index.js'
import {CONTEXT, dockerfile} from './helpers.js'

// What Hoist generates: trace comments before instructions, and one inside a RUN continuation.
const GOOD = dockerfile(
  '# hoist: service nginx, from host web (rule web/nginx)',
  'FROM debian:12',
  '# hoist: the host runs Debian 12 without prompts',
  'ENV DEBIAN_FRONTEND=noninteractive',
  'RUN apt-get update \\',
  '    # hoist: nginx 1.22.1-9+deb12u9 as installed on the host',
  '    && apt-get install -y --no-install-recommends nginx=1.22.1-9+deb12u9 \\',
  '    && rm -rf /var/lib/apt/lists/*',
  '# hoist: /etc/nginx fetched read-only from the host',
  'COPY etc/nginx/ /etc/nginx/',
  'EXPOSE 80',
  'HEALTHCHECK --interval=30s --timeout=5s CMD ["curl", "-fsS", "http://localhost/"]',
  'USER www-data',
  'CMD ["nginx", "-g", "daemon off;"]',
)

const keywords = (text: string) => DockerfileParser.parse(text).getInstructions().map((i) => i.getKeyword())
const rules = (text: string) => validateDockerfile(text).map((f) => `${f.rule}@${f.line}`)

describe('lintDockerfile', () => {
  it('finds nothing in a realistic generated Dockerfile, from dockerfile-utils or Hoist', () => {
    expect(lintDockerfile(GOOD, CONTEXT)).toEqual([])
  })

  it('reports both sources in line order with stable ids', () => {
    const text = dockerfile('from debian:latest', 'MAINTAINER someone', 'CMD nginx')
    expect(lintDockerfile(text, {...CONTEXT, hasDockerignore: false}).map((f) => `${f.rule}@${f.line}`)).toEqual([
      'dockerfile-utils/CASING_INSTRUCTION@1',
      'hoist/pinned-base-image@1',
      'hoist/expose-observed@1',
      'hoist/non-root-user@1',
      'hoist/healthcheck@1',
      'hoist/dockerignore@1',
      'dockerfile-utils/DEPRECATED_MAINTAINER@2',
      'hoist/exec-form@3',
    ])
  })
})

describe('what dockerfile-utils flags in comment-heavy files with continuations', () => {
  it('accepts comment lines inside a continuation, ending in a backslash or not', () => {
    expect(rules(dockerfile('FROM debian:12', 'RUN true \\', '    # why \\', '    # and why', '    && true'))).toEqual([])
  })

  it('flags an empty or blank line inside a continuation', () => {
    expect(rules(dockerfile('FROM debian:12', 'RUN true \\', '', '    && true'))).toEqual(['dockerfile-utils/EMPTY_CONTINUATION_LINE@3'])
    expect(rules(dockerfile('FROM debian:12', 'RUN true \\', '  \t', '    && true'))).toEqual(['dockerfile-utils/EMPTY_CONTINUATION_LINE@3'])
  })

  it('flags a trailing backslash before a blank line, which also swallows the next instruction', () => {
    const text = dockerfile('FROM debian:12', 'RUN true \\', '', 'CMD ["x"]')
    expect(rules(text)).toEqual(['dockerfile-utils/EMPTY_CONTINUATION_LINE@3'])
    expect(keywords(text)).toEqual(['FROM', 'RUN'])
  })

  it('says nothing when a comment ends a continuation and the next instruction is swallowed', () => {
    const text = dockerfile('FROM debian:12', 'RUN true \\', '    # hoist: trace', 'CMD ["x"]')
    expect(rules(text)).toEqual([])
    expect(keywords(text)).toEqual(['FROM', 'RUN'])
    expect(lintDockerfile(text, {...CONTEXT, expectedPorts: [], originalUser: 'root', healthcheckExpected: false})).toEqual([
      expect.objectContaining({rule: 'hoist/swallowed-instruction', line: 4}),
    ])
  })

  it('reads a first-line `# key=value` comment as a parser directive', () => {
    expect(rules(dockerfile('# Escape=`', 'FROM debian:12'))).toEqual(['dockerfile-utils/CASING_DIRECTIVE@1'])
    expect(rules(dockerfile('# escape=x', 'FROM debian:12'))).toEqual(['dockerfile-utils/INVALID_ESCAPE_DIRECTIVE@1'])
    expect(rules(dockerfile('# hoist: escape=x', 'FROM debian:12'))).toEqual([])
  })

  it('checks casing, MAINTAINER, relative WORKDIR, single quotes and repeats only when asked', () => {
    const text = dockerfile('from debian:12', 'MAINTAINER x', 'WORKDIR app', "CMD ['a']", 'CMD ["b"]')
    expect(rules(text).map((r) => r.split('@')[0]).sort()).toEqual([
      'dockerfile-utils/CASING_INSTRUCTION',
      'dockerfile-utils/DEPRECATED_MAINTAINER',
      'dockerfile-utils/JSON_IN_SINGLE_QUOTES',
      'dockerfile-utils/MULTIPLE_INSTRUCTIONS',
      'dockerfile-utils/WORKDIR_IS_NOT_ABSOLUTE',
    ])
    // The trap: one key given, every other check off.
    expect(validate(text, {instructionCasing: 2})).toHaveLength(1)
  })

  it('does not check what Docker accepts: tags, apt flags, port ranges', () => {
    expect(rules(dockerfile('FROM debian', 'RUN apt-get install nginx', 'EXPOSE 8000-8010 80/sctp', 'CMD nginx'))).toEqual([])
  })
})
