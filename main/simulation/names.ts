/** Windows compares drive letters and key protector GUIDs case-insensitively; so does the simulated PC. */
export const sameName = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();
