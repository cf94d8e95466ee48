import { useT } from '../i18n/i18n.tsx';
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
