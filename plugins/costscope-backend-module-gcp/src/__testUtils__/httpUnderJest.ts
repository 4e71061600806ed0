/**
 * teeny-request (the transport of @google-cloud/common) sends through `import('node-fetch')`,
 * which jest's CommonJS sandbox cannot run without --experimental-vm-modules. Its other path,
 * taken when `Bun` is a global, is its own node:http client: the tests take that one, so the
 * requests still go over the wire to the fake. Jest gives each test file its own globals.
 */
export function useNodeHttpTransport() {
  const g = globalThis as { Bun?: unknown };
  g.Bun ??= {};
}
