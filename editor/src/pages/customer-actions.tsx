import { useState } from 'react';
import { useSession } from '../api/session.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useEditorHost } from '../plugins/editor-host.ts';
import { navigate } from '../router.tsx';

/** Export a customer's data as a file; erase them (admins: the right to be forgotten). */
export function CustomerActions({ id }: { id: string }) {
  const t = useT();
  const host = useEditorHost();
  const { status } = useSession();
  const [problem, setProblem] = useState<string | null>(null);
  const admin = status.kind === 'signed-in' && status.user.role === 'admin';
  const download = async () => {
    setProblem(null);
    try {
      const data = await host.get<unknown>(`/api/customers/${encodeURIComponent(id)}/export`);
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const a = document.createElement('a');
      a.href = url;
      a.download = `customer-${id}.json`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const erase = async () => {
    if (!window.confirm(t('profile.eraseConfirm', { id }))) return;
    try {
      await host.send('DELETE', `/api/customers/${encodeURIComponent(id)}`);
      navigate('/customers');
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <div className="row">
      <button type="button" onClick={download}>
        {t('profile.export')}
      </button>
      {admin && (
        <button type="button" className="danger" onClick={erase}>
          {t('profile.erase')}
        </button>
      )}
      {problem && <p role="alert">{t('profile.notSaved', { message: problem })}</p>}
    </div>
  );
}
