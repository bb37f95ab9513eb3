/**
 * A store seen only through the Backend methods every store has (no scan, no fingerprint): how
 * a snapshot or diff reads an engine without its own scan (versions/scan-rows.ts).
 */
import type { Backend } from '../../electron/backends/backend.js';

export function pagesOnly(backend: Backend): Backend {
  return {
    capabilities: backend.capabilities,
    tree: (o) => backend.tree(o),
    describe: (p, o) => backend.describe(p, o),
    page: (p, v, offset, limit, o) => backend.page(p, v, offset, limit, o),
    count: (p, v, o) => backend.count(p, v, o),
    cell: (p, v, row, column, o) => backend.cell(p, v, row, column, o),
    close: async () => undefined,
  };
}
