import {spawnSync} from 'node:child_process'
import {createServer, type Server} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {questionArgv, questionFor, readAnswer, sameAnswer} from '../../../src/verify/answers.js'

let server: Server
let port: number

beforeAll(async () => {
  // A tiny HTTP/1.0 server: what bash's /dev/tcp one-liner must read whole.
  server = createServer((socket) => {
    socket.once('data', (request) => {
      const path = request.toString('latin1').split(' ')[1]
      const body = path === '/missing' ? 'no' : 'hello from the original\n'
      socket.end(`HTTP/1.0 ${path === '/missing' ? 404 : 200} OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as {port: number}).port
})

afterAll(() => server.close())

function ask(argv: string[]) {
  return new Promise<{code: number | null; stdout: Buffer}>((resolve) => {
    const r = spawnSync(argv[0]!, argv.slice(1))
    resolve({code: r.status, stdout: r.stdout})
  })
}

describe('questions asked inside a container (or on the original host)', () => {
  it('asks HTTP with bash alone and reads status and body', async () => {
    const q = {type: 'http', port, path: '/'} as const
    // spawnSync blocks the event loop the server needs: run the question in a child asynchronously.
    const {execFile} = await import('node:child_process')
    const run = (argv: string[]) => new Promise<{code: number | null; stdout: Buffer}>((resolve) => {
      execFile(argv[0]!, argv.slice(1), {encoding: 'buffer'}, (error, stdout) => resolve({code: error ? (error.code as number) ?? 1 : 0, stdout}))
    })
    const r = await run(questionArgv(q))
    const answer = readAnswer(q, r.code, r.stdout)
    expect(answer).toMatchObject({ok: true, status: 200, body: 'hello from the original\n'})
    const missing = await run(questionArgv({type: 'http', port, path: '/missing'}))
    const notFound = readAnswer({type: 'http', port, path: '/missing'}, missing.code, missing.stdout)
    expect(notFound).toMatchObject({ok: true, status: 404, body: 'no'})
    expect(sameAnswer(answer, notFound)).toBe(false)
  })

  it('reports a refused port, and a command answer with its exit code', async () => {
    const refused = await ask(questionArgv({type: 'tcp', port: 1}))
    expect(readAnswer({type: 'tcp', port: 1}, refused.code, refused.stdout).ok).toBe(false)
    const pong = readAnswer({type: 'command', command: ['redis-cli', 'ping']}, 0, Buffer.from('PONG\n'))
    expect(pong).toEqual({ok: true, status: 0, body: 'PONG', detail: 'exit 0'})
  })

  it('derives the question from the plan\'s health check', () => {
    expect(questionFor({type: 'http', port: 80, path: '/'})).toEqual({type: 'http', port: 80, path: '/'})
    expect(questionFor({type: 'command', command: ['pg_isready', '-q']})).toEqual({type: 'command', command: ['pg_isready', '-q']})
    expect(questionFor(undefined)).toBeUndefined()
  })
})
