/**
 * The browser's ways of handing over files → `LocalFileInput`s: a file input (a folder chosen
 * with `webkitdirectory` keeps each file's relative path) and a drop (folders are walked). Only
 * DOM file APIs; nothing leaves the page.
 */
import type { LocalFileInput } from './types';

/** What a drop holds, taken while the drop event lasts (entries cannot be asked for later). */
export interface DroppedItems {
  entries: FileSystemEntry[];
  files: File[];
}

export function droppedItems(dataTransfer: DataTransfer): DroppedItems {
  const entries: FileSystemEntry[] = [];
  const files: File[] = [];
  for (const item of Array.from(dataTransfer.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) files.push(file);
    }
  }
  if (entries.length === 0 && files.length === 0) files.push(...Array.from(dataTransfer.files ?? []));
  return { entries, files };
}

async function fileInput(file: File, path: string): Promise<LocalFileInput> {
  return { path, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** Files from an `<input type=file>`; a chosen folder's files keep their path inside it. */
export async function readFileList(files: Iterable<File>): Promise<LocalFileInput[]> {
  return Promise.all(Array.from(files, (file) => fileInput(file, file.webkitRelativePath || file.name)));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function childrenOf(entry: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries answers in batches (about 100 in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: LocalFileInput[]): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) out.push(await fileInput(await fileOf(entry as FileSystemFileEntry), path));
  else if (entry.isDirectory) for (const child of await childrenOf(entry as FileSystemDirectoryEntry)) await walk(child, out);
}

/** Everything a drop held, folders walked to their files. */
export async function readDroppedItems(items: DroppedItems): Promise<LocalFileInput[]> {
  const out: LocalFileInput[] = [];
  for (const entry of items.entries) await walk(entry, out);
  out.push(...(await readFileList(items.files)));
  return out;
}
