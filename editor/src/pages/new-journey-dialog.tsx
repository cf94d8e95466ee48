import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { saveLocalDraft } from '../model/local-draft.ts';
import { uniqueName } from '../model/names.ts';
import { emptyJourney, idFromName, STAGES } from '../model/new-journey.ts';
import { navigate } from '../router.tsx';

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** Name, id and stage of a new journey; it opens on an empty canvas, kept in this browser until saved. */
export function NewJourneyDialog({ taken, onClose }: { taken: string[]; onClose: () => void }) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [stage, setStage] = useState<string>('acquire');
  const shownId = idTouched ? id : uniqueName(idFromName(name), taken);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!ID.test(shownId)) return;
    saveLocalDraft({
      id: shownId,
      yaml: emptyJourney(shownId, name.trim() || shownId, stage),
      moved: {},
      baseVersion: null,
      savedAt: new Date().toISOString(),
    });
    onClose();
    navigate(`/workflows/${shownId}`);
  }

  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="new-journey-title" className="dialog">
      <form onSubmit={submit}>
        <h2 id="new-journey-title">{t('new.title')}</h2>
        <label>
          {t('new.name')}
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('new.id')}
          <input
            required
            pattern="[a-z0-9][a-z0-9\-]*"
            value={shownId}
            onChange={(e) => {
              setIdTouched(true);
              setId(e.target.value);
            }}
            aria-describedby="new-id-hint"
          />
        </label>
        <p id="new-id-hint" className="hint">
          {taken.includes(shownId) ? t('new.idTaken') : t('new.idHint')}
        </p>
        <label>
          {t('list.stage')}
          <select value={stage} onChange={(e) => setStage(e.target.value)}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`stage.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={taken.includes(shownId)}>
            {t('new.create')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
