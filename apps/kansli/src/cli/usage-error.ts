/** The command was called wrongly: the message says what was wrong, then the usage is printed (exit status 2). */
export class UsageError extends Error {}
