// ssh2's client and key parser, imported from their own files: the package's index also loads its
// server, key generator and HTTP agents (and with them Node's http, https and tls), which a scan never uses.
declare module 'ssh2/lib/client.js' {
  import type {Client} from 'ssh2'
  const ClientClass: typeof Client
  export = ClientClass
}

declare module 'ssh2/lib/protocol/keyParser.js' {
  import type {utils} from 'ssh2'
  export const parseKey: typeof utils.parseKey
}
