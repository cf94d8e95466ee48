import { useEffect, useRef } from 'react';

export interface ShortcutHandlers {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  save: () => void;
  fit: () => void;
  help: () => void;
}

const typing = (target: EventTarget | null) => {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
};

/**
 * The editor's keyboard shortcuts. Inside a text field or the YAML editor, the field's own undo,
 * copy and paste apply; only saving works everywhere.
 */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const h = useRef(handlers);
  h.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        h.current.save();
        return;
      }
      if (typing(e.target)) return;
      if (mod && key === 'z' && !e.shiftKey) h.current.undo();
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) h.current.redo();
      else if (mod && key === 'c') h.current.copy();
      else if (mod && key === 'v') h.current.paste();
      else if (!mod && !e.altKey && key === 'f') h.current.fit();
      else if (!mod && e.key === '?') h.current.help();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
