import type { EditorHost } from '@tend/plugin-sdk/editor';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Complaint, Move } from './complaint.ts';
import { TEXT } from './texts.ts';

const TITLES = {
  acknowledge: TEXT.acknowledgeTitle,
  resolve: TEXT.resolveTitle,
  close: TEXT.closeTitle,
  reopen: TEXT.reopenTitle,
};

/** Moves a complaint on; resolving asks what was done, reopening why. */
export function MoveDialog({
  host,
  complaint,
  move,
  onDone,
  onClose,
}: {
  host: EditorHost;
  complaint: Complaint;
  move: Move;
  onDone: (what: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const required = move === 'resolve' || move === 'reopen';
  const label = move === 'resolve' ? TEXT.resolution : move === 'reopen' ? TEXT.reason : TEXT.noteOptional;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await host.send(
        'POST',
        `/api/complaints/${complaint.id}/${move}`,
        note.trim() ? { note: note.trim() } : {},
      );
      onDone(`${host.text(TEXT[move])} ${complaint.reference}`);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} onClose={onClose} className="dialog" aria-labelledby="complaint-move-title">
      <form onSubmit={submit}>
        <h2 id="complaint-move-title">{host.text(TITLES[move], { ref: complaint.reference })}</h2>
        <p className="muted">{complaint.description}</p>
        <label>
          {host.text(label)}
          <textarea
            required={required}
            maxLength={4000}
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
        {problem && <p role="alert">{host.text(TEXT.refused, { message: problem })}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {host.text(TEXT.cancel)}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {host.text(TEXT[move])}
          </button>
        </div>
      </form>
    </dialog>
  );
}
