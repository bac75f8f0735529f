import { useEffect, useRef, useState } from 'react';
import { droppedItems, readDroppedItems, readFileList, type LocalFileInput } from '../localFiles/index';
import { useCrossviewStore } from './storeContext';
import './LocalFiles.css';

/**
 * "Open local files…": a CD or folder (webkitdirectory), or files and .zip archives; and a drop
 * anywhere on the page. Files are read and parsed in this browser, never uploaded.
 */
export function LocalFilesOpener() {
  const store = useCrossviewStore();
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const open = async (read: Promise<LocalFileInput[]>) => {
      store.getState().noteLocalFilesReading();
      await store.getState().openLocalFiles(await read);
    };
    // Only drags of files from outside the page (timeline drags carry no files).
    const hasFiles = (event: DragEvent) => Boolean(event.dataTransfer?.types.includes('Files'));
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event) || !event.dataTransfer) return;
      event.preventDefault();
      setDragging(false);
      void open(readDroppedItems(droppedItems(event.dataTransfer)));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [store]);

  const chosen = (input: HTMLInputElement | null) => {
    const files = input?.files;
    if (!input || !files || files.length === 0) return;
    const list = Array.from(files);
    input.value = '';
    store.getState().noteLocalFilesReading();
    void readFileList(list).then((read) => store.getState().openLocalFiles(read));
  };

  return (
    <div className="local-files-opener" role="group" aria-label="Open local files">
      <button type="button" title="A CD or a folder of DICOM files, read in this browser (not uploaded)" onClick={() => folderInput.current?.click()}>
        Open CD / folder…
      </button>
      <button type="button" title="DICOM files, a DICOMDIR or a .zip, read in this browser (not uploaded)" onClick={() => filesInput.current?.click()}>
        Open files…
      </button>
      <input
        ref={(el) => {
          folderInput.current = el;
          // React does not know webkitdirectory; set it on the element.
          el?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        multiple
        hidden
        data-local-files-input="folder"
        onChange={(e) => chosen(e.currentTarget)}
      />
      <input ref={filesInput} type="file" multiple hidden data-local-files-input="files" onChange={(e) => chosen(e.currentTarget)} />
      {dragging && (
        <div className="local-files-drop" data-local-files-drop="true">
          Drop a CD folder, DICOM files or a .zip to view them here (read in this browser, not uploaded)
        </div>
      )}
    </div>
  );
}
