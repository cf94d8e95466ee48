import { yaml } from '@codemirror/lang-yaml';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { Annotation, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { Issue } from '../model/issues.ts';

/** Marks changes that came from the canvas, so they are not sent back as typing. */
const fromOutside = Annotation.define<boolean>();

/** The smallest replacement that turns `a` into `b` (so the cursor and undo history survive). */
export function minimalChange(a: string, b: string): { from: number; to: number; insert: string } | null {
  if (a === b) return null;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { from: start, to: endA, insert: b.slice(start, endB) };
}

function diagnostics(view: EditorView, issues: Issue[]): Diagnostic[] {
  const doc = view.state.doc;
  return issues.map((i) => {
    const line = doc.line(Math.min(Math.max(i.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max(i.column - 1, 0), line.to);
    return { from, to: Math.max(from, line.to), severity: 'error', message: i.message };
  });
}

/**
 * The journey's YAML beside the canvas (CodeMirror). Typing here redraws the canvas; edits on the
 * canvas arrive as the smallest change, so the cursor stays. Engine errors show on their lines.
 */
export function YamlPanel({
  text,
  onChange,
  issues,
  revealLine,
  readOnly,
}: {
  text: string;
  onChange: (text: string) => void;
  issues: Issue[];
  revealLine: number | null;
  readOnly: boolean;
}) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const outgoing = useRef(onChange);
  outgoing.current = onChange;
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The editor is made once, with the text and settings of that moment; later text arrives
  // through the effect below, as the smallest change.
  const initial = useRef({ text, readOnly, label: t('yaml.label') });

  useEffect(() => {
    if (!host.current) return;
    const { text: doc, readOnly: locked, label } = initial.current;
    // Typing is passed on shortly after it pauses, and at once when the page is being left.
    const flush = () => {
      if (!pending.current) return;
      clearTimeout(pending.current);
      pending.current = null;
      if (view.current) outgoing.current(view.current.state.doc.toString());
    };
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          EditorState.readOnly.of(locked),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged || u.transactions.every((tr) => tr.annotation(fromOutside))) return;
            if (pending.current) clearTimeout(pending.current);
            pending.current = setTimeout(flush, 200);
          }),
          EditorView.domEventHandlers({ blur: flush }),
        ],
      }),
    });
    view.current = v;
    focusableScroller(v, label);
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
      v.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v || pending.current) return;
    const change = minimalChange(v.state.doc.toString(), text);
    if (change) v.dispatch({ changes: change, annotations: fromOutside.of(true) });
  }, [text]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnostics(v, issues)));
  }, [issues]);

  useEffect(() => {
    const v = view.current;
    if (!v || revealLine === null || revealLine > v.state.doc.lines) return;
    const line = v.state.doc.line(revealLine);
    v.dispatch({ effects: EditorView.scrollIntoView(line.from, { y: 'start', yMargin: 40 }) });
  }, [revealLine]);

  return (
    <section className="yaml-panel" aria-label={t('yaml.title')}>
      <h2 className="panel-title">{t('yaml.title')}</h2>
      <div ref={host} className="yaml-host" data-testid="yaml-editor" />
    </section>
  );
}

/**
 * A long file scrolls inside the editor: its scroller takes the keyboard's focus too (as a named
 * region), so it can be scrolled without a mouse even while the text cannot be edited.
 */
export function focusableScroller(view: EditorView, label: string): void {
  view.scrollDOM.tabIndex = 0;
  view.scrollDOM.setAttribute('role', 'region');
  view.scrollDOM.setAttribute('aria-label', label);
}
