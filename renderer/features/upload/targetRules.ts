/**
 * What a connection lets an upload do, read from its read-only flag, its status and its
 * capabilities (never from which engine it is), as the reason shown beside a disabled option.
 */
import type { ConnectionInfo } from '../../../shared/model';
import { engineLabels } from '../../components/TreeGlyphs';

/** Why nothing can be written to this connection, or undefined when it can be. */
export function writeBlocker(c: ConnectionInfo): string | undefined {
  if (c.readOnly) return 'read-only';
  if (!c.capabilities.write) return `${engineLabels[c.kind].label} cannot be written to here`;
  if (c.status.state === 'preparing') return 'still preparing';
  return undefined;
}

export function partitionBlocker(c: ConnectionInfo): string | undefined {
  const blocked = writeBlocker(c);
  if (blocked) return `Nothing can be written to this connection (${blocked})`;
  if (!c.capabilities.partitions) {
    return c.capabilities.partitionsNote ?? `${engineLabels[c.kind].label} cannot partition tables`;
  }
  return undefined;
}
