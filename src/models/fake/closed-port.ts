/** A loopback port with nothing listening on it, for tests of "connection refused". */
import { createServer } from 'node:net';

/** A port on 127.0.0.1 that nothing listens on (bound to a random port, then released). */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
