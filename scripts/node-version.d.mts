/** The oldest Node.js Tend runs on, as [major, minor, patch]. */
export const MINIMUM_NODE: readonly [number, number, number];
/** What is wrong with this Node.js version for Tend (a message saying what to install), or null. */
export function nodeVersionProblem(version: string, command?: string): string | null;
