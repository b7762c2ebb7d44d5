import {connect, type Socket} from 'node:net'

/**
 * Opens the TCP connection to a host before ssh2 is loaded (it takes 30-40 ms to load), so that the
 * connection is made and sshd has sent its greeting by the time the SSH handshake starts. A failure
 * stays on the socket (`errored`) for openConnection to report as its own.
 */
export function dial(host: string, port: number): Socket {
  const socket = connect({host, port})
  // Kept, not thrown: openConnection reads socket.errored before ssh2 takes the socket over.
  socket.on('error', () => {})
  return socket
}
