/**
 * What a re-run may do with one file of its plan, from three facts: what is on disk,
 * what the generator would write now, and the hash of what it wrote last time
 * (`.yo-rc.json` fileHashes). A file the user never changed is updated; a file the user
 * changed is a conflict the caller decides (prompt, --force, --skip-existing, refusal).
 */
import { createHash } from 'node:crypto';

export type FileState = 'create' | 'unchanged' | 'update' | 'conflict';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function fileState(o: { disk: Buffer | undefined; next: Buffer; recorded: string | undefined }): FileState {
  if (o.disk === undefined) return 'create';
  if (o.disk.equals(o.next)) return 'unchanged';
  if (o.recorded !== undefined && sha256(o.disk) === o.recorded) return 'update';
  return 'conflict';
}

/**
 * A short line diff (old → new) for the conflict prompt: `-`/`+`/` ` lines, unchanged
 * runs longer than 2 lines around changes folded. Quadratic, so bounded: past
 * `maxCells` it only says how many lines each side has.
 */
export function lineDiff(before: string, after: string, maxCells = 4_000_000): string {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > maxCells) return `(too large to show: ${a.length} lines on disk, ${b.length} generated)`;
  // LCS table from the end, then one walk from the start.
  const w = b.length + 1;
  const t = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i * w + j] = a[i] === b[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    }
  }
  const rows: { sign: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      rows.push({ sign: ' ', text: a[i++]! });
      j++;
    }
    // Removals before additions, like diff -u.
    else if (i < a.length && (j === b.length || t[(i + 1) * w + j]! >= t[i * w + j + 1]!))
      rows.push({ sign: '-', text: a[i++]! });
    else rows.push({ sign: '+', text: b[j++]! });
  }
  const keep = rows.map((r, k) => r.sign !== ' ' || rows.slice(Math.max(0, k - 2), k + 3).some((n) => n.sign !== ' '));
  const out: string[] = [];
  rows.forEach((r, k) => {
    if (keep[k]) out.push(`${r.sign} ${r.text}`);
    else if (keep[k - 1] !== false) out.push('  ...');
  });
  return out.join('\n');
}
