/**
 * What a warning is about, as a code a program can switch on:
 * - `unknown_collection`: a file, folder (or in-memory key) of the dataset whose name is no collection
 *   but resembles one (`partner.json`), so it is not read;
 * - `unknown_format`: a file named after a collection in a format that is not read (`events.xlsx`);
 * - `unread_column`: a CSV column no field reads whose name is close to a field's (`ship_to_region`).
 */
export type ScanWarningCode = "unknown_collection" | "unknown_format" | "unread_column" | (string & {});

/**
 * Something in the input that was not read and looks as if it was meant to be: data, never thrown.
 * `message` names the file (and line or column) first and says what was probably meant.
 */
export interface ScanWarning {
  readonly code: ScanWarningCode;
  /** The file or folder, relative to the dataset folder (`dataset.<key>` for in-memory collections). */
  readonly file?: string;
  readonly message: string;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Warnings in a deterministic order: by file, then code, then message; exact repeats dropped. */
export function sortWarnings(warnings: Iterable<ScanWarning>): ScanWarning[] {
  const sorted = [...warnings].sort(
    (a, b) => byCodePoint(a.file ?? "", b.file ?? "") || byCodePoint(a.code, b.code) || byCodePoint(a.message, b.message),
  );
  return sorted.filter((w, i) => {
    const previous = sorted[i - 1];
    return !previous || previous.file !== w.file || previous.code !== w.code || previous.message !== w.message;
  });
}
