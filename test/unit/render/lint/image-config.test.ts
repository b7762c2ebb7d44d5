import {describe, expect, it} from 'vitest'
import {dockerignore} from '../../../../src/render/dockerfile/lint/dockerignore.js'
import {execForm} from '../../../../src/render/dockerfile/lint/exec-form.js'
import {exposeObserved} from '../../../../src/render/dockerfile/lint/expose-observed.js'
import {healthcheck} from '../../../../src/render/dockerfile/lint/healthcheck.js'
import {nonRootUser} from '../../../../src/render/dockerfile/lint/non-root-user.js'
import {singleCmd} from '../../../../src/render/dockerfile/lint/single-cmd.js'
import {swallowedInstruction} from '../../../../src/render/dockerfile/lint/swallowed-instruction.js'
import {check, dockerfile, messages} from './helpers.js'

describe('hoist/expose-observed', () => {
  const ports = [{port: 80, protocol: 'tcp' as const}, {port: 53, protocol: 'udp' as const}, {port: 443, protocol: 'tcp' as const}]

  it('passes when EXPOSE names exactly the observed ports, several to a line', () => {
    const text = dockerfile('FROM debian:12', 'EXPOSE 80 53/udp', 'EXPOSE 443/TCP 80/tcp')
    expect(check(exposeObserved, text, {expectedPorts: ports})).toEqual([])
  })

  it('reports a missing port on the FROM, an extra one on its EXPOSE, and ranges as unsupported', () => {
    const text = dockerfile('FROM debian:12', 'EXPOSE 80 53', 'EXPOSE 9000-9010')
    expect(check(exposeObserved, text, {expectedPorts: ports})).toEqual([
      'hoist/expose-observed@1',
      'hoist/expose-observed@1',
      'hoist/expose-observed@2',
      'hoist/expose-observed@3',
    ])
    const said = messages(exposeObserved, text, {expectedPorts: ports}).join('\n')
    expect(said).toContain('53/udp was observed')
    expect(said).toContain('53/tcp is exposed')
    expect(said).toContain('port range')
  })

  it('counts only the final image, including what it inherits from a parent stage', () => {
    const text = dockerfile('FROM debian:12 AS base', 'EXPOSE 80', 'FROM base AS app', 'FROM debian:12', 'EXPOSE 8080')
    expect(check(exposeObserved, text)).toEqual(['hoist/expose-observed@4', 'hoist/expose-observed@5'])
    expect(check(exposeObserved, dockerfile('FROM debian:12 AS base', 'EXPOSE 80', 'FROM base'))).toEqual([])
  })
})

describe('hoist/non-root-user', () => {
  it('passes a named USER, and anything when the host ran the application as root', () => {
    expect(check(nonRootUser, dockerfile('FROM debian:12', 'USER root', 'RUN id', 'USER www-data'))).toEqual([])
    expect(check(nonRootUser, dockerfile('FROM debian:12'), {originalUser: 'root'})).toEqual([])
  })

  it('fails a missing USER on the FROM and root in any spelling on the USER', () => {
    expect(check(nonRootUser, dockerfile('FROM debian:12', 'RUN id'))).toEqual(['hoist/non-root-user@1'])
    for (const user of ['root', '0', '0:0', 'root:root', 'root:www-data']) {
      expect(check(nonRootUser, dockerfile('FROM debian:12', 'USER www-data', `USER ${user}`))).toEqual(['hoist/non-root-user@3'])
    }
  })
})

describe('hoist/exec-form', () => {
  it('passes JSON arrays, also with a comment line inside the continuation', () => {
    const text = dockerfile('FROM debian:12', 'ENTRYPOINT ["/docker-entrypoint.sh"]', 'CMD ["nginx", \\', '  # why', '  "-g", "daemon off;"]')
    expect(check(execForm, text)).toEqual([])
  })

  it('fails shell form, single-quoted arrays and empty arrays', () => {
    const text = dockerfile('FROM debian:12', 'CMD nginx -g "daemon off;"', "ENTRYPOINT ['/run.sh']", 'CMD []')
    expect(check(execForm, text)).toEqual(['hoist/exec-form@2', 'hoist/exec-form@3', 'hoist/exec-form@4'])
  })
})

describe('hoist/healthcheck', () => {
  it('passes one HEALTHCHECK, and none when the plan has no health check', () => {
    expect(check(healthcheck, dockerfile('FROM debian:12', 'HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]'))).toEqual([])
    expect(check(healthcheck, dockerfile('FROM debian:12'), {healthcheckExpected: false})).toEqual([])
  })

  it('fails a missing one on the FROM, NONE, and every one but the last', () => {
    expect(check(healthcheck, dockerfile('FROM debian:12 AS a', 'HEALTHCHECK CMD ["true"]', 'FROM debian:12'))).toEqual([
      'hoist/healthcheck@3',
    ])
    expect(check(healthcheck, dockerfile('FROM debian:12', 'HEALTHCHECK NONE'))).toEqual(['hoist/healthcheck@2'])
    const twice = dockerfile('FROM debian:12', 'HEALTHCHECK CMD ["a"]', 'HEALTHCHECK CMD ["b"]')
    expect(check(healthcheck, twice)).toEqual(['hoist/healthcheck@2'])
  })
})

describe('hoist/single-cmd', () => {
  it('passes one CMD and one ENTRYPOINT in the final stage, whatever earlier stages hold', () => {
    const text = dockerfile('FROM debian:12 AS build', 'CMD ["a"]', 'CMD ["b"]', 'FROM debian:12', 'ENTRYPOINT ["e"]', 'CMD ["c"]')
    expect(check(singleCmd, text)).toEqual([])
  })

  it('fails every CMD and ENTRYPOINT that a later one overrides', () => {
    const text = dockerfile('FROM debian:12', 'CMD ["a"]', 'ENTRYPOINT ["e"]', 'CMD ["b"]', 'ENTRYPOINT ["f"]', 'CMD ["c"]')
    expect(check(singleCmd, text)).toEqual(['hoist/single-cmd@2', 'hoist/single-cmd@4', 'hoist/single-cmd@3'])
    expect(messages(singleCmd, text)[0]).toContain('line 6')
  })
})

describe('hoist/dockerignore', () => {
  it('passes with a .dockerignore and fails on line 1 without one', () => {
    expect(check(dockerignore, dockerfile('FROM debian:12'))).toEqual([])
    expect(check(dockerignore, dockerfile('FROM debian:12'), {hasDockerignore: false})).toEqual(['hoist/dockerignore@1'])
  })
})

describe('hoist/swallowed-instruction', () => {
  it('passes continued lines that start with shell, and JSON continued over lines', () => {
    const text = dockerfile('FROM debian:12', 'RUN apt-get update \\', '    # why', '    && true', 'CMD ["a", \\', '  "b"]')
    expect(check(swallowedInstruction, text)).toEqual([])
  })

  it('fails the line of an instruction that a comment-ended continuation swallowed', () => {
    const text = dockerfile('FROM debian:12', 'RUN true \\', '    # trace', 'USER www-data')
    expect(check(swallowedInstruction, text)).toEqual(['hoist/swallowed-instruction@4'])
  })
})
