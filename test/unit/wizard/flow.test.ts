import {describe, expect, it} from 'vitest'
import {HoistError} from '../../../src/errors.js'
import {describeResult, runWizard, unknownHostKey} from '../../../src/wizard/flow.js'
import {exampleFound, fakeSteps, FINGERPRINT, scriptedAsker, sources, unknownKeyError} from './fake.js'

const ANSWERED = {
  target: 'root@web01', identity: '', sudo: false, sample: '0s', out: 'out',
  'prices.currency': 'EUR', 'prices.vcpu-hour': 0.04, 'prices.gib-hour': 0.005,
  'services.export.include': true, 'services.export-2.include': false, 'services.redis.include': true,
  'services.postgresql.include': true, 'services.nginx.include': true, 'services.app.include': true,
  'services.export.rename': 'export', 'services.redis.rename': 'cache', 'services.postgresql.rename': 'db',
  'services.nginx.rename': 'nginx', 'services.app.rename': 'billing',
  'services.redis.base-image': 'official', 'services.postgresql.base-image': 'same-os',
  'services.nginx.base-image': 'same-os', 'services.app.base-image': 'same-os',
}

async function failure(run: Promise<unknown>): Promise<HoistError> {
  try {
    await run
  } catch (error) {
    return error as HoistError
  }
  throw new Error('expected the wizard to fail')
}

describe('the wizard flow', () => {
  it('asks in order, applies the choices to the plan and saves every answer', async () => {
    const found = await exampleFound()
    const steps = fakeSteps(found)
    const {asker, asked, said} = scriptedAsker({target: 'root@web01', sample: '0s', out: 'out', 'services.export-2.include': false, 'services.redis.rename': 'cache', 'services.redis.base-image': 'official'})
    const result = await runWizard({sources: sources(), interactive: true, asker, steps})

    expect(asked.slice(0, 5).map((p) => p.id)).toEqual(['target', 'identity', 'sudo', 'sample', 'out'])
    expect(asked.map((p) => p.id)).not.toContain('trust-host-key') // the key was known
    expect(said.join('\n')).toMatch(/redis\s+cache\s+6379\/tcp\s+confidence 0\.90/)
    const plan = steps.plans.at(-1)!
    expect(plan.services.find((s) => s.workload === 'export-2')!.include).toBe(false)
    const redis = plan.services.find((s) => s.workload === 'redis')!
    expect(redis.name).toBe('cache')
    expect(redis.baseImage).toEqual({policy: 'official', image: 'redis:7.0'})
    expect(redis.packages).toEqual([])
    expect(plan.services.find((s) => s.name === 'app')!.dependsOn).toEqual(['postgresql', 'cache'])
    // An excluded service is not asked about further; one without an upstream image has no base-image question.
    expect(asked.map((p) => p.id)).not.toContain('services.export-2.rename')
    expect(asked.map((p) => p.id)).not.toContain('services.export.base-image')
    expect(steps.prices).toEqual({currency: 'EUR', vcpuHour: 0.04, gibHour: 0.005})
    expect(steps.saved).toMatchObject({'services.redis.rename': 'cache', 'services.export-2.include': false, sample: '0s'})
    expect(steps.generated).toBe(true)
    expect(result.report).toBeUndefined()
  })

  it('replays an answers file without asking anything, flags overriding it', async () => {
    const found = await exampleFound()
    const steps = fakeSteps(found)
    const {asker, asked} = scriptedAsker()
    await runWizard({sources: sources({'services.app.rename': 'api', sudo: true}, ANSWERED), interactive: false, asker, steps})
    expect(asked).toEqual([])
    expect(steps.scans[0]).toMatchObject({target: 'root@web01', sudo: true, sample: '0s', acceptNew: false})
    const plan = steps.plans.at(-1)!
    expect(plan.services.map((s) => s.name)).toEqual(['export', 'export-2', 'cache', 'db', 'nginx', 'api'])
    expect(plan.services.find((s) => s.name === 'api')!.dependsOn).toEqual(['db', 'cache'])
    expect(steps.saved).toMatchObject({'services.app.rename': 'api', sudo: true})
  })

  it('without a terminal, lists every missing answer at once, before scanning', async () => {
    const steps = fakeSteps(await exampleFound())
    const run = runWizard({sources: sources({target: 'root@web01'}), interactive: false, asker: scriptedAsker().asker, steps})
    await expect(run).rejects.toThrow(HoistError)
    const error = await failure(run)
    expect(error.code).toBe('INPUT_MISSING')
    for (const id of ['identity', 'sudo', 'sample', 'out', 'prices.currency', 'prices.vcpu-hour', 'prices.gib-hour']) expect(error.message).toContain(`  ${id}: `)
    expect(error.message).not.toContain('  target: ')
    expect(steps.scans).toEqual([])
  })

  it('without a terminal, lists every service question the answers leave open', async () => {
    const partial = Object.fromEntries(Object.entries(ANSWERED).filter(([id]) => !id.startsWith('services.redis.') && id !== 'services.app.rename'))
    const error = await failure(runWizard({sources: sources({}, partial), interactive: false, asker: scriptedAsker().asker, steps: fakeSteps(await exampleFound())}))
    expect(error.code).toBe('INPUT_MISSING')
    expect(error.message.match(/^ {2}\S+:/gm)).toEqual(['  services.redis.include:', '  services.redis.rename:', '  services.redis.base-image:', '  services.app.rename:'])
  })

  it('shows an unknown host key\'s fingerprint, asks, and connects again trusting it', async () => {
    const steps = fakeSteps(await exampleFound(), {unknownKeyTimes: 1})
    const {asker, asked, said} = scriptedAsker({target: 'root@web01', sample: '0s', out: 'out', 'trust-host-key': true})
    await runWizard({sources: sources(), interactive: true, asker, steps})
    expect(said).toContain(`The host key of root@web01 is not known: ssh-ed25519 ${FINGERPRINT}`)
    const question = asked.find((p) => p.id === 'trust-host-key')!
    expect(question.message).toContain(FINGERPRINT)
    expect(question.default).toBe(false)
    expect(steps.scans.map((s) => s.acceptNew)).toEqual([false, true])
    expect(steps.saved?.['trust-host-key']).toBe(true)
  })

  it('refuses the host when the key is not trusted, and names the key without a terminal', async () => {
    const declined = fakeSteps(await exampleFound(), {unknownKeyTimes: 1})
    const {asker} = scriptedAsker({target: 'root@web01', sample: '0s', out: 'out'})
    await expect(runWizard({sources: sources(), interactive: true, asker, steps: declined})).rejects.toMatchObject({code: 'SSH_HOSTKEY_UNKNOWN'})
    expect(declined.scans).toHaveLength(1)
    const headless = fakeSteps(await exampleFound(), {unknownKeyTimes: 1})
    const error = await failure(runWizard({sources: sources({}, ANSWERED), interactive: false, asker, steps: headless}))
    expect(error.code).toBe('INPUT_MISSING')
    expect(error.message).toContain(`trust-host-key: Trust the ssh-ed25519 key ${FINGERPRINT} of root@web01`)
  })

  it('asks about new keys up front for an inventory, without a fingerprint', async () => {
    const steps = fakeSteps(await exampleFound(), {inventoryFile: 'hosts.csv'})
    const {asker, asked} = scriptedAsker({target: 'hosts.csv', sample: '0s', out: 'out', 'trust-host-key': true})
    await runWizard({sources: sources(), interactive: true, asker, steps})
    expect(asked.slice(0, 3).map((p) => p.id)).toEqual(['target', 'identity', 'trust-host-key'])
    expect(steps.scans).toEqual([expect.objectContaining({inventory: true, acceptNew: true})])
  })

  it('rejects a given answer that breaks a rule, naming where it came from', async () => {
    const bad = {...ANSWERED, 'services.app.rename': 'db'}
    const error = await failure(runWizard({sources: sources({}, bad), interactive: false, asker: scriptedAsker().asker, steps: fakeSteps(await exampleFound())}))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('answers.yaml (services.app.rename): services.app.rename: "db" is not a valid answer (another service of web01 is called db)')
    const official = {...ANSWERED, 'services.export.base-image': 'official'}
    const ignored = fakeSteps(await exampleFound())
    await runWizard({sources: sources({}, official), interactive: false, asker: scriptedAsker().asker, steps: ignored})
    expect(ignored.plans.at(-1)!.services[0]!.baseImage.policy).toBe('same-os') // no upstream image: not a question
  })

  it('reads the fingerprint only from an unknown-key error', () => {
    expect(unknownHostKey(unknownKeyError())).toEqual({who: 'root@web01', keyType: 'ssh-ed25519', fingerprint: FINGERPRINT})
    expect(unknownHostKey(new HoistError('SSH_HOSTKEY_CHANGED', 'x', 'y'))).toBeUndefined()
    expect(unknownHostKey(new Error('The host key of x is not known: ssh-rsa SHA256:abc '))).toBeUndefined()
  })
})

describe('the closing summary', () => {
  it('says what was produced and where, and a failed report without hiding the rest', async () => {
    const base = {out: 'out', hosts: ['web01'], answersFile: 'out/answers.yaml', pricesFile: '/w/hoist.yaml', generated: [{host: 'web01', files: ['hosts/web01/services/nginx/Dockerfile'], skipped: [{service: 'redis', reason: 'excluded'}]}]}
    const skipped = describeResult(base).join('\n')
    expect(skipped).toContain('  hosts/web01/services/nginx/Dockerfile')
    expect(skipped).toContain('✗ redis not generated: excluded')
    expect(skipped).toContain('report skipped')
    expect(skipped).toContain('replay with: hoist wizard --answers out/answers.yaml')
    expect(describeResult({...base, report: ['report.html']}).join('\n')).toContain('\n  report.html\n')
    expect(describeResult({...base, reportFailed: 'boom'}).join('\n')).toContain('✗ the report failed (boom)')
  })
})
