import {describe, expect, it} from 'vitest'
import {aptNoninteractive} from '../../../../src/render/dockerfile/lint/apt-noninteractive.js'
import {check, dockerfile, messages} from './helpers.js'

const ID = 'hoist/apt-noninteractive'
const RM = 'rm -rf /var/lib/apt/lists/*'

describe('hoist/apt-noninteractive', () => {
  it('passes apt-get with -y, --no-install-recommends, the frontend from ENV and the lists removed', () => {
    const text = dockerfile(
      'FROM debian:12',
      'ENV DEBIAN_FRONTEND=noninteractive',
      'RUN apt-get update \\',
      '    # the version the host runs',
      `    && apt-get install -y --no-install-recommends nginx=1.22.1-9+deb12u9 \\`,
      `    && apt-get clean && ${RM}`,
    )
    expect(check(aptNoninteractive, text)).toEqual([])
  })

  it('accepts the frontend inline, exported, or from an ARG, and -qq or --yes for assume-yes', () => {
    const text = dockerfile(
      'FROM debian:12 AS base',
      `RUN DEBIAN_FRONTEND=noninteractive apt-get -qq install --no-install-recommends curl && ${RM}`,
      `RUN export DEBIAN_FRONTEND=noninteractive; apt install --yes --no-install-recommends curl; ${RM}`,
      'ARG DEBIAN_FRONTEND=noninteractive',
      `RUN sudo /usr/bin/apt-get install -qy --no-install-recommends curl && rm -fr /var/lib/apt/lists`,
    )
    expect(check(aptNoninteractive, text)).toEqual([])
  })

  it('reports each missing part on the RUN line', () => {
    const text = dockerfile('FROM debian:12', 'RUN apt-get update', 'RUN apt-get install nginx')
    expect(check(aptNoninteractive, text)).toEqual([`${ID}@3`])
    const [message] = messages(aptNoninteractive, text)
    for (const part of ['-y', '--no-install-recommends', 'DEBIAN_FRONTEND=noninteractive', RM]) expect(message).toContain(part)
  })

  it('wants the lists removed after the install, and ENV inherited only along FROM <stage>', () => {
    const text = dockerfile(
      'FROM debian:12 AS base',
      'ENV DEBIAN_FRONTEND=noninteractive',
      'FROM base',
      `RUN ${RM} && apt-get install -y --no-install-recommends nginx`,
      'FROM debian:12',
      `RUN apt-get install -y --no-install-recommends nginx && ${RM}`,
    )
    expect(check(aptNoninteractive, text)).toEqual([`${ID}@4`, `${ID}@6`])
    expect(messages(aptNoninteractive, text)[0]).not.toContain('DEBIAN_FRONTEND')
  })

  it('checks dnf and yum for -y and clean all, and apk for --no-cache', () => {
    const good = dockerfile(
      'FROM rockylinux:9',
      'RUN dnf -y install httpd && dnf clean all',
      'RUN yum install --assumeyes httpd && yum clean all',
      'FROM alpine:3.19',
      'RUN apk --no-cache add nginx',
    )
    expect(check(aptNoninteractive, good)).toEqual([])
    const bad = dockerfile('FROM rockylinux:9', 'RUN dnf install httpd', 'RUN yum install -y httpd', 'FROM alpine:3.19', 'RUN apk add nginx')
    expect(check(aptNoninteractive, bad)).toEqual([`${ID}@2`, `${ID}@3`, `${ID}@5`])
  })

  it('reads heredoc RUNs line by line and ignores other apt subcommands', () => {
    const text = dockerfile(
      'FROM debian:12',
      'RUN <<EOF',
      'export DEBIAN_FRONTEND=noninteractive',
      'apt-get install -y --no-install-recommends nginx',
      RM,
      'EOF',
      'RUN apt-get update && apt-get -o Acquire::Retries=3 upgrade',
    )
    expect(check(aptNoninteractive, text)).toEqual([])
  })
})
