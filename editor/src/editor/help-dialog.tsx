import { useEffect, useRef } from 'react';
import { useT } from '../i18n/i18n.tsx';

const KEYS: [string, Parameters<ReturnType<typeof useT>>[0]][] = [
  ['Tab / Shift+Tab', 'help.tab'],
  ['Enter', 'help.enter'],
  ['← ↑ → ↓', 'help.arrows'],
  ['Delete', 'help.delete'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'help.undo'],
  ['Ctrl+C / Ctrl+V', 'help.copy'],
  ['Ctrl+S', 'help.save'],
  ['F', 'help.fit'],
  ['?', 'help.help'],
];

/** The keyboard shortcuts, and how to do everything on the canvas without a mouse. */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => ref.current?.showModal(), []);
  return (
    <dialog ref={ref} onClose={onClose} className="dialog" aria-labelledby="help-title">
      <h2 id="help-title">{t('help.title')}</h2>
      <table className="table">
        <tbody>
          {KEYS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{t(what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t('help.keyboardWay')}</p>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </dialog>
  );
}
