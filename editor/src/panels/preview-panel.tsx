import { parseDuration } from '@tend/plugin-sdk/time';
import { useEffect, useMemo, useState } from 'react';
import { api, jsonBody, unwrap } from '../api/client.ts';
import type { Overlay } from '../canvas/types.ts';
import { pathOverlay } from '../editor/overlays.ts';
import { CheckboxField, DurationField, ListField, SelectField, TextField } from '../forms/fields.tsx';
import { KeyValueField } from '../forms/key-value-field.tsx';
import { useDateTime, useT } from '../i18n/i18n.tsx';
import { awaitedEvents, type DraftDef } from '../model/def.ts';
import { PreviewResult, type PreviewRun } from './preview-result.tsx';

interface PreviewEvent {
  type: string;
  after: string;
  data: Record<string, unknown>;
}

/** The sample customer's contact details: enough for every channel's message to be rendered. */
interface SampleContact {
  name: string;
  email: string;
  phone: string;
  locale: string;
  consented: boolean;
}

const SAMPLE_CONTACT: SampleContact = {
  name: 'Mei Chen',
  email: 'mei.chen@example.com',
  phone: '+8613800138000',
  locale: 'en',
  consented: true,
};

/** The sample customer as the preview API takes it (consent as the runtime records it). */
function sampleCustomer(
  contact: SampleContact,
  attributes: Record<string, unknown>,
  tags: string[],
  at: number,
) {
  const { consented, ...details } = contact;
  const given = Object.fromEntries(Object.entries(details).filter(([, v]) => v.trim() !== ''));
  const record = { status: 'granted', source: 'preview', at: new Date(at).toISOString() };
  return {
    id: 'sample-customer',
    ...given,
    attributes,
    tags,
    ...(consented ? { consent: { email: record, sms: record, webhook: record } } : {}),
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Events' absolute times: each `after` the previous one, from the start. */
function eventTimes(start: number, events: PreviewEvent[]): number[] {
  let clock = start;
  return events.map((e) => {
    const d = parseDuration(e.after || '0s');
    clock += d.ok ? d.ms : 0;
    return clock;
  });
}

const toLocalInput = (ms: number) =>
  new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/**
 * Preview: one real or sample customer, events at virtual times, and a virtual clock to step
 * through the journey (the engine's journey-test simulator). The path lights up on the canvas.
 */
export function PreviewPanel({
  text,
  def,
  onOverlay,
}: {
  id: string;
  text: string;
  def: DraftDef;
  onOverlay: (o: Overlay) => void;
}) {
  const t = useT();
  const when = useDateTime();
  const [who, setWho] = useState<'sample' | 'real'>('sample');
  const [customerId, setCustomerId] = useState('');
  const [attributes, setAttributes] = useState<Record<string, unknown>>({ country: 'CN' });
  const [tags, setTags] = useState<string[]>([]);
  const [contact, setContact] = useState<SampleContact>(SAMPLE_CONTACT);
  const updateContact = (patch: Partial<SampleContact>) => setContact((c) => ({ ...c, ...patch }));
  const [start, setStart] = useState(() => Math.floor(Date.now() / HOUR) * HOUR);
  const firstEvent = def.trigger.event ?? '';
  const [events, setEvents] = useState<PreviewEvent[]>(() =>
    firstEvent ? [{ type: firstEvent, after: '0s', data: {} }] : [],
  );
  const [now, setNow] = useState<number | null>(null);
  const [result, setResult] = useState<{
    runs: PreviewRun[];
    errors: { message: string; line: number }[];
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const times = useMemo(() => eventTimes(start, events), [start, events]);
  const suggestions = useMemo(
    () => [
      ...new Set(
        [
          firstEvent,
          ...Object.values(def.states).flatMap((s) => awaitedEvents(s.wait)),
          ...def.exit.map((g) => g.event),
        ].filter(Boolean),
      ),
    ],
    [def, firstEvent],
  );

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const body = {
        yaml: text,
        start: new Date(start).toISOString(),
        events: events
          .filter((e) => e.type)
          .map((e, i) => ({
            type: e.type,
            at: new Date(times[i] ?? start).toISOString(),
            ...(Object.keys(e.data).length ? { data: e.data } : {}),
          })),
        ...(now !== null ? { until: new Date(now).toISOString() } : {}),
        ...(who === 'real' && customerId
          ? { customerId }
          : { customer: sampleCustomer(contact, attributes, tags, start) }),
      };
      unwrap(api.workflows.preview.$post({}, jsonBody(body))).then(
        (r) => {
          if (!live) return;
          setError(null);
          const runs = (r.runs ?? []) as unknown as PreviewRun[];
          setResult({ runs, errors: r.errors as { message: string; line: number }[] });
          const run = runs.at(-1);
          onOverlay(
            run
              ? pathOverlay(run.path, run.status === 'active' ? run.state : null)
              : { nodes: new Map(), edges: new Map() },
          );
        },
        (e: Error) => live && setError(e.message),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, start, events, times, now, who, customerId, attributes, tags, contact, onOverlay]);

  const run = result?.runs.at(-1);
  const lastTimer = run?.history.filter((h) => h.type === 'timer.set').at(-1)?.detail?.dueAt;
  const nextEvent = times.find((time) => now !== null && time > now);
  const clock = now ?? null;
  const updateEvent = (i: number, patch: Partial<PreviewEvent>) =>
    setEvents(events.map((e, j) => (j === i ? { ...e, ...patch } : e)));

  return (
    <section className="panel preview-panel" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('preview.title')}</h2>
      <p className="hint">{t('preview.intro')}</p>
      <SelectField
        label={t('preview.customer')}
        value={who}
        onChange={(v) => setWho(v as 'sample' | 'real')}
        options={[
          { value: 'sample', label: t('preview.sample') },
          { value: 'real', label: t('preview.real') },
        ]}
      />
      {who === 'real' ? (
        <TextField
          label={t('preview.customerId')}
          value={customerId}
          onChange={setCustomerId}
          hint={t('preview.customerIdHint')}
        />
      ) : (
        <>
          <TextField
            label={t('preview.name')}
            value={contact.name}
            onChange={(name) => updateContact({ name })}
          />
          <TextField
            label={t('preview.email')}
            value={contact.email}
            onChange={(email) => updateContact({ email })}
          />
          <TextField
            label={t('preview.phone')}
            value={contact.phone}
            onChange={(phone) => updateContact({ phone })}
          />
          <TextField
            label={t('preview.locale')}
            value={contact.locale}
            onChange={(locale) => updateContact({ locale })}
            hint={t('preview.localeHint')}
          />
          <CheckboxField
            label={t('preview.consented')}
            value={contact.consented}
            onChange={(consented) => updateContact({ consented })}
          />
          <KeyValueField label={t('preview.attributes')} value={attributes} onChange={setAttributes} />
          <ListField label={t('preview.tags')} value={tags} onChange={setTags} />
        </>
      )}
      <TextField
        label={t('preview.start')}
        value={toLocalInput(start)}
        onChange={(v) => !Number.isNaN(Date.parse(v)) && setStart(Date.parse(v))}
        hint={t('preview.startHint')}
      />
      <fieldset className="field">
        <legend>{t('preview.events')}</legend>
        <datalist id="preview-event-types">
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        {events.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: events are positional
          <div key={i} className="event-row">
            <TextField
              label={t('preview.eventType', { n: i + 1 })}
              value={e.type}
              onChange={(v) => updateEvent(i, { type: v })}
              list="preview-event-types"
            />
            <DurationField
              label={t('preview.after')}
              value={e.after}
              onChange={(v) => updateEvent(i, { after: v })}
            />
            <KeyValueField
              label={t('preview.data')}
              value={e.data}
              onChange={(v) => updateEvent(i, { data: v })}
            />
            <button
              type="button"
              className="small danger"
              onClick={() => setEvents(events.filter((_, j) => j !== i))}
            >
              {t('preview.removeEvent')}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => setEvents([...events, { type: suggestions[1] ?? '', after: '1h', data: {} }])}
        >
          {t('preview.addEvent')}
        </button>
      </fieldset>
      <div className="clock" aria-live="polite">
        <strong>{t('preview.clock')}</strong> {clock === null ? t('preview.toEnd') : when(clock)}
      </div>
      <div className="row wrap">
        <button type="button" onClick={() => setNow(start)}>
          {t('preview.atStart')}
        </button>
        <button type="button" onClick={() => setNow((clock ?? start) + HOUR)}>
          {t('preview.plusHour')}
        </button>
        <button type="button" onClick={() => setNow((clock ?? start) + DAY)}>
          {t('preview.plusDay')}
        </button>
        <button
          type="button"
          disabled={nextEvent === undefined}
          onClick={() => nextEvent !== undefined && setNow(nextEvent)}
        >
          {t('preview.nextEvent')}
        </button>
        <button
          type="button"
          disabled={!lastTimer || run?.status !== 'active'}
          onClick={() => lastTimer && setNow(Date.parse(lastTimer))}
        >
          {t('preview.nextTimer')}
        </button>
        <button type="button" onClick={() => setNow(null)}>
          {t('preview.runToEnd')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && result.errors.length > 0 && (
        <p className="error">{t('preview.invalid', { count: result.errors.length })}</p>
      )}
      {result && result.errors.length === 0 && !run && (
        <p className="muted">
          {def.trigger.event ? t('preview.noRun', { event: def.trigger.event }) : t('preview.noRunOther')}
        </p>
      )}
      {run && (
        <PreviewResult
          run={run}
          customer={
            who === 'real' && customerId
              ? { customerId }
              : { customer: sampleCustomer(contact, attributes, tags, start) as Record<string, unknown> }
          }
        />
      )}
      <p className="hint">{t('preview.durationNote')}</p>
    </section>
  );
}
