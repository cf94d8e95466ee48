import { useEditor } from '../editor/context.ts';
import { useT } from '../i18n/i18n.tsx';
import type { Branch, SplitBranch } from '../model/def.ts';
import type { Path } from '../model/yaml-edit.ts';
import { CelField } from './cel-field.tsx';
import { NumberField, TextField } from './fields.tsx';
import { TargetField, useErrorAt } from './targets.tsx';

/** One guarded branch: its condition (none for the default), label and target. */
export function BranchEditor({
  path,
  branch,
  isDefault,
  index,
}: {
  path: Path;
  branch: Branch;
  isDefault: boolean;
  index: number;
}) {
  const t = useT();
  const { def, set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  return (
    <fieldset className="branch">
      <legend>{isDefault ? t('branch.otherwise') : t('branch.number', { n: index + 1 })}</legend>
      {!isDefault && (
        <CelField
          label={t('branch.when')}
          value={branch.when === undefined ? '' : String(branch.when)}
          onChange={(v) => set([...path, 'when'], v)}
          def={def}
          serverError={errorAt([...path, 'when'])}
          readOnly={readOnly}
          testId={`when-${path.join('.')}`}
        />
      )}
      <TargetField
        label={t('branch.goTo')}
        value={branch.next ?? ''}
        onChange={(v) => set([...path, 'next'], v)}
        error={errorAt([...path, 'next'])}
      />
      <TextField
        label={t('branch.label')}
        value={branch.label ?? ''}
        onChange={(v) => set([...path, 'label'], v || undefined)}
        readOnly={readOnly}
      />
    </fieldset>
  );
}

export function SplitEditor({ path, branch, index }: { path: Path; branch: SplitBranch; index: number }) {
  const t = useT();
  const { set, readOnly } = useEditor();
  const errorAt = useErrorAt();
  return (
    <fieldset className="branch">
      <legend>{t('branch.number', { n: index + 1 })}</legend>
      <NumberField
        label={t('split.weight')}
        value={typeof branch.weight === 'number' ? branch.weight : undefined}
        min={0}
        onChange={(v) => set([...path, 'weight'], v)}
        error={errorAt([...path, 'weight'])}
        readOnly={readOnly}
        required
      />
      <TargetField
        label={t('branch.goTo')}
        value={branch.next ?? ''}
        onChange={(v) => set([...path, 'next'], v)}
        error={errorAt([...path, 'next'])}
      />
      <TextField
        label={t('branch.label')}
        value={branch.label ?? ''}
        onChange={(v) => set([...path, 'label'], v || undefined)}
        readOnly={readOnly}
        hint={t('split.labelHint')}
      />
    </fieldset>
  );
}

/** A list of choose branches: conditions first, the default (no condition) last. */
export function ChooseList({ path, branches }: { path: Path; branches: Branch[] }) {
  const t = useT();
  const { set, readOnly } = useEditor();
  const hasDefault = branches.at(-1)?.when === undefined && branches.length > 0;
  const add = () => {
    const at = hasDefault ? branches.length - 1 : branches.length;
    set(path, [...branches.slice(0, at), { when: '', next: '' }, ...branches.slice(at)]);
  };
  return (
    <div className="branches">
      {branches.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: branches are positional; a longer list re-mounts them
        <div key={`${i}-${branches.length}`} className="branch-row">
          <BranchEditor
            path={[...path, i]}
            branch={b}
            index={i}
            isDefault={b.when === undefined && i === branches.length - 1}
          />
          {!readOnly && (
            <button
              type="button"
              className="small danger"
              onClick={() =>
                set(
                  path,
                  branches.filter((_, j) => j !== i),
                )
              }
            >
              {t('branch.remove')}
            </button>
          )}
        </div>
      ))}
      {!readOnly && (
        <div className="row">
          <button type="button" className="small" onClick={add}>
            {t('branch.add')}
          </button>
          {!hasDefault && (
            <button type="button" className="small" onClick={() => set(path, [...branches, { next: '' }])}>
              {t('branch.addDefault')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
