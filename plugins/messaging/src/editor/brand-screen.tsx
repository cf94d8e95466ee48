import { type EditorScreenProps, useLoad } from '@tend/plugin-sdk/editor';
import { useState } from 'react';
import type { Brand } from '../brand-store.ts';
import { TEXT } from './texts.ts';

type Field = 'logoUrl' | 'servicePhone' | 'serviceEmail' | 'websiteUrl' | 'senderName';
const SINGLE: Field[] = ['senderName', 'logoUrl', 'websiteUrl', 'servicePhone', 'serviceEmail'];

/** `/brand`: the company as customers see it in every message, in both languages. */
export function BrandScreen({ host }: EditorScreenProps) {
  const saved = useLoad('brand', () => host.get<Brand>('/api/brand'));
  if (saved.error)
    return (
      <p role="alert">{host.text(TEXT.failed, { what: host.text(TEXT.title), message: saved.error })}</p>
    );
  if (!saved.data) return null;
  return <BrandForm host={host} saved={saved.data} />;
}

function BrandForm({ host, saved }: Pick<EditorScreenProps, 'host'> & { saved: Brand }) {
  const [brand, setBrand] = useState<Brand>(saved);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const set = <K extends keyof Brand>(key: K, value: Brand[K]) => setBrand((b) => ({ ...b, [key]: value }));
  const both = (key: 'name' | 'address', lang: 'en' | 'zh-CN', value: string) =>
    set(key, { ...brand[key], [lang]: value });
  async function save() {
    setMessage(null);
    try {
      const { updatedAt: _, ...body } = brand as Brand & { updatedAt?: string };
      setBrand(await host.send<Brand>('PUT', '/api/brand', body));
      setMessage({ ok: true, text: host.text(TEXT.saved) });
    } catch (error) {
      setMessage({ ok: false, text: (error as Error).message });
    }
  }
  const zh = host.lang === 'zh-CN';
  const pick = (t: Brand['name']) => (zh ? t['zh-CN'] || t.en : t.en || t['zh-CN']);
  const signature = [
    pick(brand.name) || brand.senderName,
    pick(brand.address),
    brand.servicePhone,
    brand.serviceEmail,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <main className="page">
      <h1>{host.text(TEXT.title)}</h1>
      <p className="muted">{host.text(TEXT.intro)}</p>
      {!host.canEdit && <p role="note">{host.text(TEXT.readOnly)}</p>}
      <fieldset disabled={!host.canEdit} className="brand-form">
        <div className="filters">
          <label>
            {host.text(TEXT.nameZh)}
            <input value={brand.name['zh-CN']} onChange={(e) => both('name', 'zh-CN', e.target.value)} />
          </label>
          <label>
            {host.text(TEXT.nameEn)}
            <input value={brand.name.en} onChange={(e) => both('name', 'en', e.target.value)} />
          </label>
        </div>
        <div className="filters">
          <label>
            {host.text(TEXT.addressZh)}
            <input
              value={brand.address['zh-CN']}
              size={30}
              onChange={(e) => both('address', 'zh-CN', e.target.value)}
            />
          </label>
          <label>
            {host.text(TEXT.addressEn)}
            <input
              value={brand.address.en}
              size={30}
              onChange={(e) => both('address', 'en', e.target.value)}
            />
          </label>
        </div>
        <p className="muted small">{host.text(TEXT.languageHelp)}</p>
        <div className="filters">
          {SINGLE.map((key) => (
            <label key={key}>
              {host.text(TEXT[key])}
              <input
                value={brand[key]}
                size={key === 'logoUrl' || key === 'websiteUrl' ? 36 : 20}
                inputMode={key === 'servicePhone' ? 'tel' : key === 'serviceEmail' ? 'email' : 'url'}
                onChange={(e) => set(key, e.target.value)}
              />
            </label>
          ))}
        </div>
        <button type="button" className="primary" onClick={() => void save()}>
          {host.text(TEXT.save)}
        </button>
      </fieldset>
      {message && <p role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
      <h2>{host.text(TEXT.preview)}</h2>
      <p data-testid="brand-signature" className="muted">
        {signature}
      </p>
    </main>
  );
}
