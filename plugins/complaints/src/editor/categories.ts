import { type EditorHost, type Localized, useLoad } from '@tend/plugin-sdk/editor';

export interface Category {
  id: string;
  label: string | Record<string, string>;
}

/** The policy's categories, and a function naming one in the viewer's language (its id if unknown). */
export function useCategories(host: EditorHost) {
  const policy = useLoad('complaint-policy', () =>
    host.get<{ categories: Category[] }>('/api/complaints/policy'),
  );
  const categories = policy.data?.categories ?? [];
  const name = (id: string) => {
    const label = categories.find((c) => c.id === id)?.label;
    if (label === undefined) return id;
    return typeof label === 'string' ? label : (label[host.lang] ?? label.en ?? id);
  };
  return { categories, name };
}

/** Hours as people say them: minutes under an hour, hours with one decimal above. */
export function duration(
  host: EditorHost,
  hours: number | null,
  words: { hours: Localized; minutes: Localized },
): string {
  if (hours === null) return '—';
  if (hours < 1) return host.text(words.minutes, { n: Math.max(1, Math.round(hours * 60)) });
  return host.text(words.hours, { n: hours.toFixed(1) });
}
