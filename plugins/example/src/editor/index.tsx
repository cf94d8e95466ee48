import { defineEditorPlugin, type EditorScreenProps } from '@tend/plugin-sdk/editor';
import { useEffect, useState } from 'react';

const TEXT = {
  title: { en: 'Stamps', 'zh-CN': '盖章' },
  none: { en: 'No customer was stamped yet.', 'zh-CN': '还没有客户被盖章。' },
  customer: { en: 'Customer', 'zh-CN': '客户' },
  note: { en: 'Note', 'zh-CN': '备注' },
  when: { en: 'When', 'zh-CN': '时间' },
  seen: { en: 'Seen', 'zh-CN': '已查看' },
  yes: { en: 'yes', 'zh-CN': '是' },
  no: { en: 'not yet', 'zh-CN': '尚未' },
};

interface Stamp {
  customerId: string;
  note: string;
  stampedAt: string;
  seen: boolean;
}

/** The stamps the example plugin keeps, newest first. */
function StampsScreen({ host }: EditorScreenProps) {
  const [stamps, setStamps] = useState<Stamp[] | null>(null);
  useEffect(() => {
    void host.get<{ stamps: Stamp[] }>('/api/example/stamps').then((r) => setStamps(r.stamps));
  }, [host]);
  return (
    <main className="page">
      <h1>{host.text(TEXT.title)}</h1>
      {stamps?.length === 0 && <p className="muted">{host.text(TEXT.none)}</p>}
      {stamps && stamps.length > 0 && (
        <table data-testid="stamps">
          <thead>
            <tr>
              <th scope="col">{host.text(TEXT.customer)}</th>
              <th scope="col">{host.text(TEXT.note)}</th>
              <th scope="col">{host.text(TEXT.when)}</th>
              <th scope="col">{host.text(TEXT.seen)}</th>
            </tr>
          </thead>
          <tbody>
            {stamps.map((s) => (
              <tr key={`${s.customerId}:${s.stampedAt}`}>
                <td>{s.customerId}</td>
                <td>{s.note}</td>
                <td>{host.formatDateTime(s.stampedAt)}</td>
                <td>{host.text(s.seen ? TEXT.yes : TEXT.no)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

export default defineEditorPlugin({
  name: 'example',
  screens: [{ path: '/example', title: TEXT.title, nav: true, component: StampsScreen }],
});
