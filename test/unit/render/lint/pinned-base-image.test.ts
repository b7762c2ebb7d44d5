import {describe, expect, it} from 'vitest'
import {pinnedBaseImage} from '../../../../src/render/dockerfile/lint/pinned-base-image.js'
import {check, dockerfile, messages} from './helpers.js'

const ID = 'hoist/pinned-base-image'
const DIGEST = `sha256:${'a'.repeat(64)}`

describe('hoist/pinned-base-image', () => {
  it('passes tags, digests, registries with ports, stage references and scratch', () => {
    const text = dockerfile(
      'FROM debian:12 AS build',
      `FROM docker.io/library/debian@${DIGEST}`,
      'FROM localhost:5000/team/app:1.4.2',
      'FROM Build',
      'FROM scratch',
    )
    expect(check(pinnedBaseImage, text)).toEqual([])
  })

  it('fails latest, a missing tag, and a registry port mistaken for a tag', () => {
    const text = dockerfile('FROM debian:latest', 'FROM debian', 'FROM localhost:5000/app', 'FROM debian@sha256:abc')
    expect(check(pinnedBaseImage, text)).toEqual([`${ID}@1`, `${ID}@2`, `${ID}@3`, `${ID}@4`])
    expect(messages(pinnedBaseImage, text)[1]).toContain('no tag')
  })

  it('follows ARG defaults before the first FROM, and fails an ARG without one', () => {
    const pinned = dockerfile('ARG RELEASE=12', 'ARG IMAGE=debian:${RELEASE}', 'FROM ${IMAGE}', 'FROM debian:$RELEASE')
    expect(check(pinnedBaseImage, pinned)).toEqual([])
    const unpinned = dockerfile('ARG RELEASE=latest', 'ARG IMAGE', 'FROM debian:${RELEASE}', 'FROM ${IMAGE}')
    expect(check(pinnedBaseImage, unpinned)).toEqual([`${ID}@3`, `${ID}@4`])
    expect(messages(pinnedBaseImage, unpinned)[1]).toContain('IMAGE without an ARG default')
  })

  it('does not take a later stage, or an ARG declared inside a stage, as pinning', () => {
    const text = dockerfile('FROM app', 'FROM debian:12 AS app', 'ARG TAG=12', 'FROM debian:${TAG}')
    expect(check(pinnedBaseImage, text)).toEqual([`${ID}@1`, `${ID}@4`])
  })
})
