import {screen} from '@inquirer/testing/vitest'
import {describe, expect, it} from 'vitest'
import {runWizard} from '../../../src/wizard/flow.js'
import {inquirerAsker} from '../../../src/wizard/prompts.js'
import {exampleFound, fakeSteps, FINGERPRINT, sources} from './fake.js'

/** Types one answer into the prompt on screen, once the screen shows `expected`. */
async function answer(expected: string | RegExp, keys: string[]): Promise<string> {
  for (let i = 0; i < 50 && !matches(screen.getScreen(), expected); i++) await screen.next()
  const shown = screen.getScreen()
  expect(shown).toMatch(expected)
  for (const key of keys) {
    if (key.length > 1 && /^(enter|space|down|up|backspace)$/.test(key)) screen.keypress(key)
    else screen.type(key)
  }
  return shown
}

function matches(text: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text)
}

describe('the wizard\'s prompts (rendered by @inquirer/testing)', () => {
  it('walks a person through target, trust, choices and prices', async () => {
    const found = await exampleFound()
    const steps = fakeSteps(found, {unknownKeyTimes: 1})
    const said: string[] = []
    const run = runWizard({sources: sources({out: 'out', identity: ''}), interactive: true, asker: inquirerAsker((l) => said.push(l)), steps})

    await answer('Which host?', ['root@web01', 'enter'])
    await answer('Probe with sudo? (y/N)', ['enter'])
    expect(said.join('\n')).toContain('never prompts on the host')
    const sample = await answer('Sample CPU and memory use', ['backspace', 'backspace', 'backspace', '5s', 'enter'])
    expect(sample).toContain('(30s)')
    const trust = await answer(`Trust the ssh-ed25519 key ${FINGERPRINT} of root@web01`, ['y', 'enter'])
    expect(trust).toContain('(y/N)')
    // One checklist per host, every application ticked: untick export-2 (the second line).
    const list = await answer('Applications to lift on web01', ['down', 'space', 'enter'])
    expect(list).toMatch(/◉ Lift export \(batch\)\?/)
    expect(list).toMatch(/Lift nginx \(webserver\)\?/)
    await answer('Name of export (enter keeps it)', ['enter'])
    await answer('Name of redis', ['cache', 'enter'])
    const image = await answer('Base image of cache', ['down', 'enter'])
    expect(image).toContain('same-os: debian:12')
    expect(image).toContain('official: redis:7.0')
    await answer('Name of postgresql', ['enter'])
    await answer('Base image of postgresql', ['enter'])
    await answer('Name of nginx', ['enter'])
    await answer('Base image of nginx', ['enter'])
    await answer('Name of app', ['enter'])
    await answer('Base image of app', ['enter'])
    await answer('Currency of your prices', ['enter'])
    const price = await answer('Price per vCPU-hour', ['backspace', 'x', 'enter'])
    expect(price).toContain('(0.04)')
    await answer('a number', ['backspace', '0.05', 'enter'])
    await answer('Price per GiB', ['enter'])
    const result = await run

    expect(result.out).toBe('out')
    expect(steps.scans.map((s) => s.acceptNew)).toEqual([false, true])
    expect(steps.scans[0]!.sample).toBe('5s')
    const plan = steps.plans.at(-1)!
    expect(plan.services.find((s) => s.workload === 'export-2')!.include).toBe(false)
    expect(plan.services.find((s) => s.workload === 'redis')).toMatchObject({name: 'cache', baseImage: {policy: 'official'}})
    expect(steps.prices).toEqual({currency: 'EUR', vcpuHour: 0.05, gibHour: 0.005})
  })
})
