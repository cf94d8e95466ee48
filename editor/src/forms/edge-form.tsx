import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import type { Branch, SplitBranch } from '../model/def.ts';
import { refPath, type TransitionRef } from '../model/refs.ts';
import { BranchEditor, SplitEditor } from './branches.tsx';
import { DurationField } from './fields.tsx';
import { TargetField, useErrorAt } from './targets.tsx';

/** One transition: what moves a customer along it (condition, weight, event, timeout) and where to. */
export function EdgeForm({ transition, onDelete }: { transition: TransitionRef; onDelete: () => void }) {
  const t = useT();
  const { def, set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  const path = refPath(transition);
  const state = transition.kind === 'start' ? undefined : def.states[transition.state];
  let body: React.ReactNode = null;
  switch (transition.kind) {
    case 'start':
      body = (
        <TargetField
          label={t('settings.start')}
          value={def.start ?? ''}
          onChange={(v) => set(path, v)}
          error={errorAt(path)}
        />
      );
      break;
    case 'next':
      body = (
        <TargetField
          label={t('exit.nextState')}
          value={state?.next ?? ''}
          onChange={(v) => set(path, v)}
          error={errorAt(path)}
        />
      );
      break;
    case 'choose': {
      const branches = state?.choose ?? [];
      const b = branches[transition.index];
      body = b && (
        <BranchEditor
          path={path}
          branch={b}
          index={transition.index}
          isDefault={b.when === undefined && transition.index === branches.length - 1}
        />
      );
      break;
    }
    case 'split': {
      const b = state?.split?.[transition.index] as SplitBranch | undefined;
      body = b && <SplitEditor path={path} branch={b} index={transition.index} />;
      break;
    }
    case 'on': {
      const value = state?.on?.[transition.key];
      if (transition.index !== undefined && Array.isArray(value)) {
        const b = value[transition.index] as Branch | undefined;
        body = b && (
          <BranchEditor path={path} branch={b} index={transition.index} isDefault={b.when === undefined} />
        );
      } else {
        const label =
          transition.key === 'timeout' ? t('exit.onTimeout') : t('exit.onEvent', { event: transition.key });
        body = (
          <>
            <TargetField
              label={label}
              value={typeof value === 'string' ? value : ''}
              onChange={(v) => set(path, v)}
              error={errorAt(path)}
            />
            {transition.key === 'timeout' && state?.wait && 'timeout' in state.wait && (
              <DurationField
                label={t('wait.timeout')}
                value={String(state.wait.timeout ?? '')}
                onChange={(v) => set(['states', transition.state, 'wait', 'timeout'], v)}
                readOnly={readOnly}
              />
            )}
          </>
        );
      }
      break;
    }
    case 'onError':
      body = (
        <TargetField
          label={t('step.onErrorState')}
          value={String((state?.steps?.[transition.step]?.onError as { next?: string })?.next ?? '')}
          onChange={(v) => set([...path, 'next'], v)}
        />
      );
      break;
  }
  return (
    <div className="edge-form">
      <h2>{t('edge.title', { from: transition.kind === 'start' ? t('node.trigger') : transition.state })}</h2>
      {body}
      {!readOnly && (
        <button type="button" className="danger" onClick={onDelete}>
          {t('edge.delete')}
        </button>
      )}
    </div>
  );
}
