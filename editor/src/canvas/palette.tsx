import type { DragEvent } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { PaletteItem } from '../model/ops.ts';

/** The drag-and-drop payload type of palette items. */
export const PALETTE_MIME = 'application/x-tend-palette';

export interface PaletteStep {
  id: string;
  title: string;
  description: string;
  plugin: string;
}

const CONTROLS = ['wait', 'choose', 'split', 'end'] as const;

/**
 * Steps of every installed plugin (from GET /api/plugins) and the control nodes. Drag one onto
 * the canvas (onto a state to add a step to it), or press it to add it after the selected node.
 */
export function Palette({ steps, onAdd }: { steps: PaletteStep[]; onAdd: (item: PaletteItem) => void }) {
  const t = useT();
  const plugins = [...new Set(steps.map((s) => s.plugin))];
  const start = (item: PaletteItem) => (e: DragEvent) => {
    e.dataTransfer.setData(PALETTE_MIME, JSON.stringify(item));
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="palette" aria-label={t('palette.label')}>
      <h2>{t('palette.controls')}</h2>
      <ul>
        {CONTROLS.map((kind) => (
          <li key={kind}>
            <button
              type="button"
              draggable
              onDragStart={start({ kind })}
              onClick={() => onAdd({ kind })}
              className={`palette-item control-${kind}`}
              title={t(`palette.${kind}.help`)}
              data-palette={kind}
            >
              {t(`palette.${kind}`)}
            </button>
          </li>
        ))}
      </ul>
      {plugins.map((plugin) => (
        <section key={plugin}>
          <h2>{plugin}</h2>
          <ul>
            {steps
              .filter((s) => s.plugin === plugin)
              .map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    draggable
                    onDragStart={start({ kind: 'step', uses: s.id })}
                    onClick={() => onAdd({ kind: 'step', uses: s.id })}
                    className="palette-item"
                    title={s.description}
                    data-palette={s.id}
                  >
                    {s.title}
                  </button>
                </li>
              ))}
          </ul>
        </section>
      ))}
      <p className="hint">{t('palette.hint')}</p>
    </aside>
  );
}
