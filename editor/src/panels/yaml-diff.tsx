import { yaml } from '@codemirror/lang-yaml';
import { unifiedMergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { focusableScroller } from './yaml-panel.tsx';

/** The YAML difference between two versions, line by line (CodeMirror's merge view). */
export function YamlDiff({ before, after }: { before: string; after: string }) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: after,
        extensions: [
          basicSetup,
          yaml(),
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
          EditorView.contentAttributes.of({ 'aria-label': t('versions.diffLabel') }),
          unifiedMergeView({
            original: before,
            mergeControls: false,
            collapseUnchanged: { margin: 2, minSize: 4 },
          }),
        ],
      }),
    });
    focusableScroller(view, t('versions.diffLabel'));
    return () => view.destroy();
  }, [before, after, t]);
  return <div ref={host} className="yaml-diff" data-testid="yaml-diff" />;
}
