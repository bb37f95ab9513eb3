/**
 * What a row offers besides its cells, from the schema alone: with a document column, "{ } Document"
 * (the whole record as JSON in the value viewer), on the row's context menu and by double-clicking
 * its number. Nothing here asks which engine the dataset lives in.
 */
import { useCallback, useMemo, useState } from 'react';
import { RowMenu, type RowAction } from './RowMenu';

export function useRowActions(
  documentColumn: string | undefined,
  openViewer: (target: { row: number; column: string }) => void,
) {
  const [menuAt, setMenuAt] = useState<{ row: number; x: number; y: number }>();
  const openDocument = useMemo(
    () =>
      documentColumn === undefined
        ? undefined
        : (row: number) => openViewer({ row, column: documentColumn }),
    [documentColumn, openViewer],
  );
  const actions = useMemo<RowAction[]>(
    () =>
      openDocument ? [{ label: '{ } Document', testId: 'row-document', run: openDocument }] : [],
    [openDocument],
  );
  const closeMenu = useCallback(() => setMenuAt(undefined), []);
  const onRowMenu =
    actions.length > 0
      ? (row: number, x: number, y: number) => setMenuAt({ row, x, y })
      : undefined;
  const menu = menuAt && <RowMenu {...menuAt} actions={actions} onClose={closeMenu} />;
  const gutterTitle = openDocument
    ? 'Double-click for the whole record as JSON; right-click for row actions'
    : undefined;
  return { openDocument, onRowMenu, menu, gutterTitle };
}
