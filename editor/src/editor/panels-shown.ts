import { useState } from 'react';

/** Which of the editor's side panels are shown: folded away for a large canvas, remembered per browser. */
export interface PanelsShown {
  palette: boolean;
  side: boolean;
}

const KEY = 'tend.editor.panels';

function stored(): PanelsShown {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<PanelsShown>;
    return { palette: value.palette !== false, side: value.side !== false };
  } catch {
    return { palette: true, side: true };
  }
}

export function usePanels(): [PanelsShown, (next: PanelsShown) => void] {
  const [shown, setShown] = useState(stored);
  return [
    shown,
    (next) => {
      setShown(next);
      localStorage.setItem(KEY, JSON.stringify(next));
    },
  ];
}
