import type { ApprovalView } from '@/lib/protocol/views';
import { IconCheck, IconCircle, IconLoader, IconX } from '@/components/ui/icons';

type Step = NonNullable<ApprovalView['approval']['steps']>[number];

const STAGES = ['signing', 'sent', 'landed'] as const;
const WORDS = { signing: 'Signing', sent: 'Sent', landed: 'Landed' } as const;

/**
 * Where a stage is for one operation: done, being done, to come, or where it failed. Signing is
 * current while the op is signed and handed to the bundler; once sent, Landed is current until
 * the receipt.
 */
export function stageState(step: Step, stage: (typeof STAGES)[number]): 'done' | 'current' | 'todo' | 'failed' {
  const i = STAGES.indexOf(stage);
  if (step.state === 'failed') {
    const at = STAGES.indexOf(step.failedAt ?? 'signing');
    return i < at ? 'done' : i === at ? 'failed' : 'todo';
  }
  const current = step.state === 'signing' ? 0 : step.state === 'sent' ? 2 : 3;
  return i < current ? 'done' : i === current ? 'current' : 'todo';
}

/**
 * What is being sent onchain and where it is: one row per operation (per chain when on several),
 * each through Signing → Sent → Landed.
 */
export function Stepper({ steps, running }: { steps: Step[]; running: boolean }) {
  const chains = new Set(steps.map((s) => s.chain));
  return (
    <ol aria-label="Onchain steps" className="space-y-2">
      {steps.map((s) => {
        const where = chains.size > 1 ? `${s.chain}: ${s.label}` : s.label;
        const now = s.state === 'failed' ? 'failed' : WORDS[s.state].toLowerCase();
        return (
          <li key={`${s.chain}-${s.label}`} aria-label={`${where}: ${now}`} data-state={s.state} className="rounded-card border border-line bg-raised p-2">
            <p className="text-sm font-medium">{where}</p>
            <div aria-hidden="true" className="mt-1 flex items-center gap-1 text-xs">
              {STAGES.map((stage, i) => {
                const st = stageState(s, stage);
                return (
                  <span key={stage} className="flex items-center gap-1">
                    {i > 0 && <span className={`h-px w-6 ${st === 'todo' ? 'bg-line' : 'bg-primary'}`} />}
                    <span
                      data-stage={stage}
                      data-stage-state={st}
                      className={`inline-flex items-center gap-1 rounded-full px-1.5 py-0.5 ${
                        st === 'done'
                          ? 'bg-ok-soft text-ok-text'
                          : st === 'current'
                            ? 'bg-info-soft text-info-text'
                            : st === 'failed'
                              ? 'bg-danger-soft text-danger-text'
                              : 'text-muted'
                      }`}
                    >
                      {st === 'done' ? (
                        <IconCheck size={12} />
                      ) : st === 'current' ? (
                        <IconLoader size={12} className={running ? 'animate-spin' : ''} />
                      ) : st === 'failed' ? (
                        <IconX size={12} />
                      ) : (
                        <IconCircle size={12} />
                      )}
                      {WORDS[stage]}
                    </span>
                  </span>
                );
              })}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
