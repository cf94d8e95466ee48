import installed from 'virtual:tend-plugin-screens';
import { localize } from '@tend/plugin-sdk/editor';
import { useEditorHost } from './editor-host.ts';

/** The installed plugins' panels on a customer's profile (their tasks, points…), each a section. */
export function PluginCustomerPanels({ customerId }: { customerId: string }) {
  const host = useEditorHost();
  const panels = installed.flatMap((p) => (p.customer ?? []).map((panel) => ({ ...panel, plugin: p.name })));
  return (
    <>
      {panels.map((panel) => {
        const Panel = panel.component;
        const titleId = `panel-${panel.plugin}-${panel.id}`;
        return (
          <section key={titleId} aria-labelledby={titleId}>
            <h2 id={titleId}>{localize(panel.title, host.lang)}</h2>
            <Panel host={host} customerId={customerId} />
          </section>
        );
      })}
    </>
  );
}

/** The installed plugins' panels on the overview dashboard (complaints, surveys…), each a card. */
export function PluginDashboardPanels() {
  const host = useEditorHost();
  const panels = installed.flatMap((p) => (p.dashboard ?? []).map((panel) => ({ ...panel, plugin: p.name })));
  return (
    <>
      {panels.map((panel) => {
        const Panel = panel.component;
        const titleId = `dashboard-${panel.plugin}-${panel.id}`;
        return (
          <section key={titleId} aria-labelledby={titleId} className="tile wide">
            <h2 id={titleId}>{localize(panel.title, host.lang)}</h2>
            <Panel host={host} />
          </section>
        );
      })}
    </>
  );
}
