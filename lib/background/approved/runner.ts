// What a runner of an approved request is (run.ts picks one by the approval's kind).
import type { Decision } from '../../protocol/ui.js';
import type { Approval } from '../approvals.js';
import type { BackgroundContext } from '../context.js';

/** Tells the approval window how far the work has got. */
export type Progress = (text: string) => Promise<unknown>;
export type Runner = (ctx: BackgroundContext, a: Approval, d: Decision, progress: Progress) => Promise<unknown>;
