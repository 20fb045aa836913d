/** Whether a person is at a terminal: only then does the workbook ask questions or show menus. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}
