import { MESSAGE_CHANNELS } from '@tend/plugin-sdk/channels';
import { useState } from 'react';
import { useSession } from '../api/session.tsx';
import { channelName } from '../i18n/channel-name.ts';
import { useT } from '../i18n/i18n.tsx';
import { useEditorHost } from '../plugins/editor-host.ts';

/** Consent per channel with where and when it was given; staff record a change the customer asked for. */
export function ConsentTable({
  id,
  consent,
  onChanged,
}: {
  id: string;
  consent: Record<string, { status: string; source?: string; at?: string }>;
  onChanged: () => void;
}) {
  const t = useT();
  const host = useEditorHost();
  const { canEdit } = useSession();
  const [problem, setProblem] = useState<string | null>(null);
  // Every message channel, even when nobody has asked the customer yet, and any other they consented to.
  const channels = [...new Set([...MESSAGE_CHANNELS, ...Object.keys(consent)])];
  const change = async (channel: string, status: 'granted' | 'withdrawn') => {
    setProblem(null);
    try {
      await host.send('PUT', `/api/customers/${encodeURIComponent(id)}`, {
        consent: { [channel]: { status, source: 'editor' } },
      });
      onChanged();
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th>{t('profile.channel')}</th>
            <th>{t('profile.status')}</th>
            <th>{t('profile.source')}</th>
            <th>{t('profile.when')}</th>
            {canEdit && <th />}
          </tr>
        </thead>
        <tbody>
          {channels.map((channel) => {
            const c = consent[channel];
            const status = c?.status === 'granted' || c?.status === 'withdrawn' ? c.status : null;
            return (
              <tr key={channel}>
                <td>{channelName(t, channel)}</td>
                <td>
                  {status ? t(`profile.${status}`) : <span className="muted">{t('profile.unknown')}</span>}
                </td>
                <td>{c?.source ?? '—'}</td>
                <td>{c?.at ? host.formatDateTime(c.at) : '—'}</td>
                {canEdit && (
                  <td className="actions">
                    {status !== 'granted' && (
                      <button type="button" className="small" onClick={() => change(channel, 'granted')}>
                        {t('profile.grant')}
                      </button>
                    )}
                    {status !== 'withdrawn' && (
                      <button type="button" className="small" onClick={() => change(channel, 'withdrawn')}>
                        {t('profile.withdraw')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {problem && <p role="alert">{t('profile.notSaved', { message: problem })}</p>}
    </>
  );
}
