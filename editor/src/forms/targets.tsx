import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import { SelectField } from './fields.tsx';

/** Picks the state a transition leads to: the keyboard way to connect two nodes. */
export function TargetField({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  const t = useT();
  const { def, readOnly } = useEditor();
  return (
    <SelectField
      label={label}
      value={value}
      onChange={onChange}
      error={error}
      readOnly={readOnly}
      empty={t('field.chooseState')}
      options={Object.keys(def.states).map((s) => ({ value: s, label: s }))}
    />
  );
}

/** The message of the issue at exactly this path, if any. */
export function useErrorAt(): (path: (string | number)[]) => string | undefined {
  const { issues } = useEditor();
  return (path) => {
    const p = path.join('.');
    return issues.find((i) => i.path === p)?.message;
  };
}
