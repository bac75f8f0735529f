/**
 * Running the Debian command-line codecs (dcmtk, gdcm, OpenJPH). A missing tool is an expected
 * failure, reported as a value that names the package to install.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export const DebianPackageOfTool: Record<string, string> = {
  dcmconv: 'dcmtk',
  dcmcrle: 'dcmtk',
  dcmdrle: 'dcmtk',
  dcmcjpeg: 'dcmtk',
  dcmdjpeg: 'dcmtk',
  dcmcjpls: 'dcmtk',
  dcmdjpls: 'dcmtk',
  gdcmconv: 'libgdcm-tools',
  ojph_compress: 'openjph-tools',
  ojph_expand: 'openjph-tools',
};

export type ToolOutcome =
  | { kind: 'ok'; stdout: string }
  | { kind: 'tool-missing'; tool: string; debianPackage: string; message: string }
  | { kind: 'failed'; tool: string; message: string };

const found = new Map<string, Promise<boolean>>();

export function toolAvailable(tool: string): Promise<boolean> {
  const path = process.env.PATH ?? '';
  const key = `${path}|${tool}`;
  let pending = found.get(key);
  if (!pending) {
    const dirs = path.split(delimiter).filter(Boolean);
    pending = Promise.any(dirs.map((dir) => access(join(dir, tool), constants.X_OK))).then(
      () => true,
      () => false,
    );
    found.set(key, pending);
  }
  return pending;
}

export function missingTool(tool: string): Extract<ToolOutcome, { kind: 'tool-missing' }> {
  const debianPackage = DebianPackageOfTool[tool] ?? 'unknown';
  return { kind: 'tool-missing', tool, debianPackage, message: `${tool} not found: install the Debian package ${debianPackage}` };
}

export async function runTool(tool: string, args: string[], timeoutMs = 60_000): Promise<ToolOutcome> {
  if (!(await toolAvailable(tool))) return missingTool(tool);
  return new Promise((resolve) => {
    execFile(tool, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) resolve({ kind: 'failed', tool, message: `${tool} ${args.join(' ')}: ${stderr.trim() || error.message}` });
      else resolve({ kind: 'ok', stdout });
    });
  });
}
