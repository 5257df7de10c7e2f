import type http from 'node:http';

/** Stops accepting connections, lets requests in flight finish for up to 5 s, then closes the rest. */
export function closeServer(server: http.Server | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, 5000).unref();
  });
}
