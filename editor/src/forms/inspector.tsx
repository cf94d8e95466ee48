import type { Selection } from '../canvas/canvas.tsx';
import { useT } from '../i18n/i18n.tsx';
import { TRIGGER } from '../model/graph.ts';
import type { TransitionRef } from '../model/refs.ts';
import { EdgeForm } from './edge-form.tsx';
import { SettingsForm } from './settings-form.tsx';
import { StateForm } from './state-form.tsx';

/** The forms for whatever is selected on the canvas; the journey's settings when nothing is. */
export function Inspector({
  selection,
  onSelect,
  onDeleteStates,
  onDeleteTransition,
}: {
  selection: Selection;
  onSelect: (s: Selection) => void;
  onDeleteStates: (names: string[]) => void;
  onDeleteTransition: (ref: TransitionRef) => void;
}) {
  const t = useT();
  let body: React.ReactNode;
  if (selection.kind === 'edge')
    body = <EdgeForm transition={selection.ref} onDelete={() => onDeleteTransition(selection.ref)} />;
  else if (selection.kind === 'node' && selection.ids.length > 1) {
    const states = selection.ids.filter((id) => id !== TRIGGER);
    body = (
      <div>
        <h2>{t('inspector.many', { count: states.length })}</h2>
        <p className="hint">{t('inspector.manyHint')}</p>
        <button type="button" className="danger" onClick={() => onDeleteStates(states)}>
          {t('inspector.deleteMany', { count: states.length })}
        </button>
      </div>
    );
  } else if (selection.kind === 'node' && selection.id !== TRIGGER) {
    body = (
      <StateForm
        key={selection.id}
        name={selection.id}
        onRenamed={(to) => onSelect({ kind: 'node', id: to, ids: [to] })}
        onDelete={() => onDeleteStates([selection.id])}
      />
    );
  } else body = <SettingsForm />;
  return (
    <section className="inspector" aria-label={t('inspector.label')} data-testid="inspector">
      {body}
    </section>
  );
}
