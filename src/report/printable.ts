/** Control characters (C0 but tab and newline, DEL, C1) that could drive a terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Makes text from the data safe to print to a terminal: control characters become visible `\u001b`
 * escapes, so a name holding ESC sequences cannot clear the screen or retitle the window.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
