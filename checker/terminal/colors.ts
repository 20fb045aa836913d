import picocolors from 'picocolors';

/**
 * Colours for the terminal only: output piped to a file, a grader or CI stays plain text
 * (picocolors alone would colour whenever CI is set). NO_COLOR and FORCE_COLOR are honoured.
 */
export const colorsWanted = !('NO_COLOR' in process.env) && ('FORCE_COLOR' in process.env || Boolean(process.stdout.isTTY));

export const colors = picocolors.createColors(colorsWanted);
