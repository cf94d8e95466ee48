import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { useEditorHost } from '../plugins/editor-host.ts';
import type { Profile } from './customer-profile.tsx';

const FIELDS = ['name', 'email', 'phone', 'birthday', 'timezone', 'locale', 'owner'] as const;
type Field = (typeof FIELDS)[number];

/** Edits the contact details; an emptied field is cleared. The engine's refusal is shown as it says it. */
export function ProfileEditDialog({
  profile,
  onClose,
  onSaved,
}: {
  profile: Profile;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const host = useEditorHost();
  const ref = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<Record<Field, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f, profile[f] ?? ''])) as Record<Field, string>,
  );
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const labels: Record<Field, string> = {
    name: t('profile.name'),
    email: t('profile.email'),
    phone: t('profile.phone'),
    birthday: t('profile.birthday'),
    timezone: t('customer.timezone'),
    locale: t('profile.locale'),
    owner: t('profile.owner'),
  };
  async function submit(e: FormEvent) {
    e.preventDefault();
    // Only what changed is sent: an untouched field keeps what is stored.
    const changed = Object.fromEntries(
      FIELDS.filter((f) => values[f] !== (profile[f] ?? '')).map((f) => [f, values[f].trim() || null]),
    );
    try {
      if (Object.keys(changed).length > 0)
        await host.send('PUT', `/api/customers/${encodeURIComponent(profile.id)}`, changed);
      onSaved();
    } catch (error) {
      setProblem((error as Error).message);
    }
  }
  return (
    <dialog ref={ref} onClose={onClose} className="dialog" aria-labelledby="profile-edit-title">
      <form onSubmit={submit}>
        <h2 id="profile-edit-title">{t('profile.edit')}</h2>
        {FIELDS.map((f) => (
          <label key={f}>
            {labels[f]}
            <input value={values[f]} onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))} />
          </label>
        ))}
        {problem && <p role="alert">{t('profile.notSaved', { message: problem })}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('profile.save')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
