// What a command gets (where its lines go, the environment) and what it gives back: an exit code,
// picked by the kind of error it throws.

export const EXIT = { ok: 0, refused: 1, usage: 2, failed: 3 } as const;

export type Io = { out: (line: string) => void; err: (line: string) => void; env: NodeJS.ProcessEnv };

/** A mistake in how the command was called: exit 2 with the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Could not run (not a usage mistake, not a refusal): exit 3. */
export class Failure extends Error {}
