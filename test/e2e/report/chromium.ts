/**
 * Debian's headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
 * fd 3 in, fd 4 out, messages ended by NUL), with Node only. It opens one page, records every network
 * request and every console error, log error and uncaught exception, and can take a full-page
 * screenshot and print to PDF. Name resolution maps everything to nothing and the proxy is a closed
 * port, so even a request that slipped through could reach nowhere: it is still recorded.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Readable, Writable} from 'node:stream'

export const CHROMIUM = process.env.HOIST_CHROMIUM ?? '/usr/bin/chromium'

type Message = {id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: {message: string}; sessionId?: string}

export interface PageRun {
  requests: string[]
  errors: string[]
  html: string
  screenshot: Buffer
  pdf: Buffer
}

/** Loads a file in a fresh headless Chromium and reports what it asked for and complained about. */
export async function loadPage(url: string, width = 1100): Promise<PageRun> {
  const profile = mkdtempSync(join(tmpdir(), 'hoist-chromium-'))
  const child = spawn(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe', `--user-data-dir=${profile}`,
    '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-default-apps', '--host-resolver-rules=MAP * ~NOTFOUND',
    '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>', 'about:blank',
  ], {stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe']})
  const cdp = new Cdp(child)
  try {
    const {targetInfos} = (await cdp.send('Target.getTargets')) as {targetInfos: {targetId: string; type: string}[]}
    const page = targetInfos.find((t) => t.type === 'page')!
    const {sessionId} = (await cdp.send('Target.attachToTarget', {targetId: page.targetId, flatten: true})) as {sessionId: string}
    const requests: string[] = []
    const errors: string[] = []
    cdp.on((m) => {
      if (m.sessionId !== sessionId) return
      if (m.method === 'Network.requestWillBeSent') requests.push((m.params!.request as {url: string}).url)
      if (m.method === 'Runtime.consoleAPICalled' && m.params!.type === 'error') errors.push(`console: ${JSON.stringify(m.params!.args)}`)
      if (m.method === 'Runtime.exceptionThrown') errors.push(`exception: ${JSON.stringify(m.params!.exceptionDetails)}`)
      if (m.method === 'Log.entryAdded' && (m.params!.entry as {level: string}).level === 'error') errors.push(`log: ${(m.params!.entry as {text: string}).text}`)
    })
    for (const domain of ['Network', 'Runtime', 'Log', 'Page', 'DOM']) await cdp.send(`${domain}.enable`, {}, sessionId)
    await cdp.send('Emulation.setDeviceMetricsOverride', {width, height: 900, deviceScaleFactor: 1, mobile: false}, sessionId)
    const loaded = cdp.wait((m) => m.sessionId === sessionId && m.method === 'Page.loadEventFired')
    await cdp.send('Page.navigate', {url}, sessionId)
    await loaded
    const {root} = (await cdp.send('DOM.getDocument', {depth: -1}, sessionId)) as {root: {nodeId: number}}
    const {outerHTML} = (await cdp.send('DOM.getOuterHTML', {nodeId: root.nodeId}, sessionId)) as {outerHTML: string}
    const shot = (await cdp.send('Page.captureScreenshot', {format: 'png', captureBeyondViewport: true}, sessionId)) as {data: string}
    const pdf = (await cdp.send('Page.printToPDF', {printBackground: true, preferCSSPageSize: true}, sessionId)) as {data: string}
    return {requests, errors, html: outerHTML, screenshot: Buffer.from(shot.data, 'base64'), pdf: Buffer.from(pdf.data, 'base64')}
  } finally {
    // Closed through the protocol, so its helper processes go with it; the profile is removed after.
    const gone = child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve))
    await Promise.race([cdp.send('Browser.close').catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))])
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
    rmSync(profile, {recursive: true, force: true, maxRetries: 10, retryDelay: 200})
  }
}

class Cdp {
  private next = 1
  private buffer = ''
  private listeners: ((m: Message) => void)[] = []
  private readonly input: Writable
  private readonly exited: Promise<never>

  constructor(child: ChildProcess) {
    this.input = child.stdio[3] as Writable
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
    ;(child.stdio[4] as Readable).on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString()
      let end: number
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end)) as Message
        this.buffer = this.buffer.slice(end + 1)
        for (const l of [...this.listeners]) l(message)
      }
    })
    this.exited = new Promise((_, reject) => child.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${stderr}`))))
    this.exited.catch(() => {})
  }

  on(listener: (m: Message) => void): void {
    this.listeners.push(listener)
  }

  wait(match: (m: Message) => boolean, ms = 30_000): Promise<Message> {
    const seen = new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('chromium: timed out waiting for an event')), ms)
      const listener = (m: Message) => {
        if (!match(m)) return
        clearTimeout(timer)
        this.listeners = this.listeners.filter((l) => l !== listener)
        resolve(m)
      }
      this.on(listener)
    })
    return Promise.race([seen, this.exited])
  }

  async send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.next++
    const reply = this.wait((m) => m.id === id)
    this.input.write(`${JSON.stringify({id, method, params, ...(sessionId ? {sessionId} : {})})}\0`)
    const m = await reply
    if (m.error) throw new Error(`${method}: ${m.error.message}`)
    return m.result ?? {}
  }
}
