import { type MessageKey, type Translate, useT } from '../i18n/i18n.tsx';
import { STAGES } from '../model/new-journey.ts';

/** A journey's lifecycle stage, in the reader's language when it is one of the four. */
export function StageBadge({ stage }: { stage: string | null }) {
  const t = useT();
  if (!stage) return <span className="muted">—</span>;
  const known = (STAGES as readonly string[]).includes(stage);
  return (
    <span className={`badge stage-${known ? stage : 'other'}`}>
      {known ? t(`stage.${stage}` as never) : stage}
    </span>
  );
}

/** The shipped lifecycle stages (workflows/lifecycle.yaml) have names in both languages. */
const LIFECYCLE = ['new', 'active', 'at-risk', 'churned', 'won-back'];

/** A customer's lifecycle stage in the reader's language; a stage an installation added, as its id. */
export function lifecycleName(t: Translate, stage: string): string {
  return LIFECYCLE.includes(stage) ? t(`lifecycle.${stage}` as MessageKey) : stage;
}

/** A customer's lifecycle stage as a badge. */
export function CustomerStageBadge({ stage }: { stage: string | null }) {
  const t = useT();
  if (!stage) return <span className="muted">—</span>;
  return <span className={`badge lifecycle-${stage}`}>{lifecycleName(t, stage)}</span>;
}
