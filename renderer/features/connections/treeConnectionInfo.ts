/** The connection a tree node belongs to, for node actions that name it (snapshot, compare). */
import { createContext } from 'react';
import type { ConnectionInfo } from '../../../shared/model';

export const TreeConnectionInfo = createContext<ConnectionInfo | undefined>(undefined);
