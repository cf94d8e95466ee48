import type { JsonSchema } from '@tend/plugin-sdk';
import { closestName } from '@tend/plugin-sdk/editor';
import { useId } from 'react';
import { useEditor } from '../editor/context.ts';
import { type Lang, useI18n, useT } from '../i18n/i18n.tsx';
import { CheckboxField, DurationField, ListField, NumberField, SelectField, TextField } from './fields.tsx';
import { fromText, KeyValueField, toText } from './key-value-field.tsx';

type Value = Record<string, unknown>;

const DURATION_NAMES = /^(due|delay|timeout|after|wait|every|per|remind|reminder|expires?|ttl)$/i;
const LONG_TEXT = /^(body|text|message|html|content|description|note|notes)$/i;

/** Which picker a string setting wants: the schema may say (`x-tend-picker`), else its name does. */
export function pickerOf(name: string, schema: JsonSchema): 'template' | 'survey' | null {
  const said = schema['x-tend-picker'];
  if (said === 'template' || said === 'survey') return said;
  if (/^template(Id)?$/i.test(name)) return 'template';
  if (/^survey(Id)?$/i.test(name)) return 'survey';
  return null;
}

export const isDuration = (name: string, schema: JsonSchema) =>
  schema.format === 'duration' || schema['x-tend-format'] === 'duration' || DURATION_NAMES.test(name);

/** A field's title or description in the viewer's language: plugins put theirs in `x-zh-CN`. */
function localText(schema: JsonSchema, key: 'title' | 'description', lang: Lang): string | undefined {
  const local =
    lang === 'en' ? undefined : (schema[`x-${lang}`] as Record<string, string> | undefined)?.[key];
  return local ?? (schema[key] as string | undefined);
}

const humanize = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

/**
 * A step's settings form, generated from its JSON Schema: required fields marked, enums as
 * selects, durations checked, templates and surveys picked from the workflows folder.
 */
export function SchemaForm({
  schema,
  value,
  onChange,
  errorOf,
  readOnly,
}: {
  schema: JsonSchema;
  value: Value;
  onChange: (v: Value) => void;
  errorOf: (field: string) => string | undefined;
  readOnly: boolean;
}) {
  const t = useT();
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) {
    return (
      <KeyValueField
        label={t('step.settings')}
        value={value}
        onChange={onChange}
        readOnly={readOnly}
        error={errorOf('')}
      />
    );
  }
  const required = new Set(schema.required ?? []);
  const set = (name: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined || v === '') delete next[name];
    else next[name] = v;
    onChange(next);
  };
  return (
    <div className="schema-form">
      {properties.map(([name, prop]) => (
        <SchemaField
          key={name}
          name={name}
          schema={prop}
          required={required.has(name)}
          value={value[name]}
          onChange={(v) => set(name, v)}
          error={errorOf(name)}
          readOnly={readOnly}
        />
      ))}
    </div>
  );
}

function SchemaField({
  name,
  schema,
  required,
  value,
  onChange,
  error,
  readOnly,
}: {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (v: unknown) => void;
  error: string | undefined;
  readOnly: boolean;
}) {
  const t = useT();
  const { lang } = useI18n();
  const uid = useId();
  const { library } = useEditor();
  const common = {
    label: localText(schema, 'title', lang) ?? humanize(name),
    hint: localText(schema, 'description', lang),
    required,
    error,
    readOnly,
  };
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (schema.enum) {
    return (
      <SelectField
        {...common}
        value={value === undefined ? '' : String(value)}
        onChange={(v) => onChange(v === '' ? undefined : (schema.enum?.find((e) => String(e) === v) ?? v))}
        options={schema.enum.map((e) => ({ value: String(e), label: String(e) }))}
        empty={required ? t('field.choose') : t('field.none')}
      />
    );
  }
  if (type === 'boolean')
    return (
      <CheckboxField label={common.label} value={value === true} onChange={onChange} readOnly={readOnly} />
    );
  if (type === 'integer' || type === 'number') {
    return (
      <NumberField
        {...common}
        integer={type === 'integer'}
        value={typeof value === 'number' ? value : undefined}
        onChange={onChange}
        {...(schema.minimum !== undefined ? { min: schema.minimum } : {})}
        {...(schema.maximum !== undefined ? { max: schema.maximum } : {})}
      />
    );
  }
  if (type === 'array' && (schema.items?.type === 'string' || schema.items?.enum)) {
    return (
      <ListField
        {...common}
        value={Array.isArray(value) ? value.map(String) : []}
        onChange={(v) => onChange(v.length ? v : undefined)}
        hint={schema.description ?? t('field.listHint')}
      />
    );
  }
  if (type === 'object' && schema.properties) {
    return (
      <fieldset className="field nested">
        <legend>{common.label}</legend>
        <SchemaForm
          schema={schema}
          value={(value as Value) ?? {}}
          onChange={onChange}
          errorOf={() => undefined}
          readOnly={readOnly}
        />
      </fieldset>
    );
  }
  if (type === 'object')
    return (
      <KeyValueField
        label={common.label}
        value={(value as Value) ?? {}}
        onChange={onChange}
        readOnly={readOnly}
        error={error}
      />
    );
  if (type === 'string' || type === undefined) {
    const text = value === undefined ? '' : toText(value);
    const picker = pickerOf(name, schema);
    if (picker) {
      const items = picker === 'template' ? library.templates : library.surveys;
      const listId = `${uid}-${picker}`;
      // A name the folder does not hold is refused here (publishing refuses it too), with the
      // closest names; a Liquid expression is left for the engine to fill in.
      const unknown =
        text !== '' && !text.includes('{{') && items.length > 0 && !items.some((i) => i.id === text);
      const closest = unknown
        ? closestName(
            text,
            items.map((i) => i.id),
          )
        : null;
      return (
        <>
          <TextField
            {...common}
            error={
              common.error ??
              (unknown
                ? t(picker === 'template' ? 'field.unknownTemplate' : 'field.unknownSurvey', {
                    name: text,
                    closest: closest ?? '—',
                  })
                : undefined)
            }
            value={text}
            onChange={onChange}
            list={listId}
            hint={
              schema.description ??
              t(picker === 'template' ? 'field.templateHint' : 'field.surveyHint', { count: items.length })
            }
          />
          <datalist id={listId}>
            {items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.title ?? i.id}
              </option>
            ))}
          </datalist>
        </>
      );
    }
    if (isDuration(name, schema)) return <DurationField {...common} value={text} onChange={onChange} />;
    const long = (schema.maxLength ?? 0) > 120 || LONG_TEXT.test(name);
    return <TextField {...common} value={text} onChange={onChange} multiline={long} />;
  }
  return (
    <TextField
      {...common}
      value={value === undefined ? '' : toText(value)}
      onChange={(v) => onChange(fromText(v))}
      hint={t('field.yamlValue')}
    />
  );
}
