/**
 * Dropping a .db/.sqlite/.sqlite3 file anywhere on the window opens the add dialog, and a CSV
 * opens the upload wizard. Electron reveals the dropped file's path; a browser does not, so there
 * the dialog asks for it. A drop a tree node already took (it called preventDefault) is left alone.
 */
import { useEffect, useState } from 'react';
import { pathForDroppedFile } from '../../api';
import { seedForFile } from '../upload/UploadProvider';
import { csvFile, type UploadSeed } from '../upload/uploadModel';
import type { DialogSeed } from './ConnectionDialog';

const sqliteFile = /\.(db|sqlite|sqlite3)$/i;

export function useSqliteDrop(
  open: (seed: DialogSeed) => void,
  upload?: (seed: UploadSeed) => void,
): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      setDragging(false);
      if (event.defaultPrevented) return;
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      if (upload && csvFile.test(file.name)) {
        upload(seedForFile(file));
        return;
      }
      const name = file.name.replace(sqliteFile, '');
      if (!sqliteFile.test(file.name)) {
        open({ note: `“${file.name}” does not look like a SQLite file (.db, .sqlite, .sqlite3).` });
        return;
      }
      const path = pathForDroppedFile(file);
      open(
        path
          ? { path, name }
          : {
              name,
              note: `The browser does not reveal where “${file.name}” is stored. Type its full path on this machine.`,
            },
      );
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [open, upload]);
  return dragging;
}
