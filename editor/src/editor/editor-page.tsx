import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useQuery } from '../api/use-query.ts';
import { Canvas, FIT_PADDING, type Selection } from '../canvas/canvas.tsx';
import { Palette } from '../canvas/palette.tsx';
import type { Overlay } from '../canvas/types.ts';
import { Inspector } from '../forms/inspector.tsx';
import { useI18n, useT } from '../i18n/i18n.tsx';
import { readDraft, type StateDef } from '../model/def.ts';
import { diffStates } from '../model/diff.ts';
import { toGraph } from '../model/graph.ts';
import { issuesByNode } from '../model/issues.ts';
import { autoLayout, type Positions, placed } from '../model/layout.ts';
import type { EditRefusal } from '../model/ops.ts';
import { assignIn, lineOf, type Path, parse } from '../model/yaml-edit.ts';
import { LivePanel } from '../panels/live-panel.tsx';
import { PreviewPanel } from '../panels/preview-panel.tsx';
import { VersionsPanel } from '../panels/versions-panel.tsx';
import { YamlPanel } from '../panels/yaml-panel.tsx';
import { navigate, useLocation } from '../router.tsx';
import { Banners } from './banners.tsx';
import { canvasActions } from './canvas-actions.ts';
import { EditorContext, type EditorContextValue, type PluginStep } from './context.ts';
import { HelpDialog } from './help-dialog.tsx';
import { diffOverlay, EMPTY_OVERLAY } from './overlays.ts';
import { usePanels } from './panels-shown.ts';
import { useShortcuts } from './shortcuts.ts';
import { type Mode, Toolbar } from './toolbar.tsx';
import { useJourney } from './use-journey.ts';
import { useValidation } from './use-validation.ts';

/** The journey editor: canvas, forms, YAML, preview, live view and versions of one journey. */
export function EditorPage({ id }: { id: string }) {
  return (
    <ReactFlowProvider>
      <Editor id={id} />
    </ReactFlowProvider>
  );
}

function Editor({ id }: { id: string }) {
  const t = useT();
  const { lang } = useI18n();
  const rf = useReactFlow();
  const { query } = useLocation();
  const session = useSession();
  const journey = useJourney(id);
  const { def, text } = journey;
  const { issues, checking, failed } = useValidation(text);
  const plugins = useQuery('plugins', () => unwrap(api.plugins.$get()));
  const library = useQuery('library', () => unwrap(api.library.$get()));
  const [mode, setModeState] = useState<Mode>((query.get('mode') as Mode | null) ?? 'edit');
  const [selection, setSelection] = useState<Selection>({ kind: 'none' });
  const [yamlShown, setYamlShown] = useState(() => window.innerWidth >= 1200);
  const [panels, setPanels] = usePanels();
  const [notice, setNotice] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  // The YAML panel is made after the canvas first shows, so a large journey opens sooner.
  const [canvasReady, setCanvasReady] = useState(false);
  const [compare, setCompare] = useState(false);
  const [modeOverlay, setModeOverlay] = useState<Overlay>(EMPTY_OVERLAY);
  const clip = useRef<Record<string, StateDef>>({});
  const readOnly = !session.canEdit || mode !== 'edit';

  const setMode = (m: Mode) => {
    setModeState(m);
    setModeOverlay(EMPTY_OVERLAY);
    history.replaceState(null, '', m === 'edit' ? location.pathname : `${location.pathname}?mode=${m}`);
  };

  const steps: PluginStep[] = useMemo(
    () =>
      (plugins.data?.plugins ?? []).flatMap((p) =>
        p.steps.map((s) => ({
          id: s.id,
          // Plugins ship their texts in every language; English when one is missing.
          title: s.texts.title[lang] || s.title,
          description: s.texts.description[lang] || s.description,
          plugin: p.name,
          configSchema: s.configSchema as PluginStep['configSchema'],
        })),
      ),
    [plugins.data, lang],
  );
  const titles = useMemo(() => Object.fromEntries(steps.map((s) => [s.id, s.title])), [steps]);
  const graph = useMemo(() => toGraph(def), [def]);
  const structure = useMemo(
    () => `${graph.states.join('|')}#${graph.edges.map((e) => `${e.source}>${e.target}`).join('|')}`,
    [graph],
  );
  // Laid out again only when the structure changes, not on every keystroke in a form.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the structure on purpose
  const auto = useMemo(() => autoLayout(graph, def.states), [structure]);
  const byNode = useMemo(() => issuesByNode(issues), [issues]);
  const comparing = mode === 'versions' && compare;
  // The published version is parsed only while it is compared (a large journey takes a while).
  const published = comparing ? journey.server?.publishedYaml : null;
  const base = useMemo(() => (published ? readDraft(parse(published).toJS()) : null), [published]);
  const overlay = useMemo(
    () => (base ? diffOverlay(diffStates(base, def), base) : modeOverlay),
    [base, def, modeOverlay],
  );
  const positions: Positions = useMemo(
    () =>
      Object.fromEntries(
        [...Object.keys(auto), ...Object.keys(journey.moved)].map((k) => [k, placed(auto, journey.moved, k)]),
      ),
    [auto, journey.moved],
  );

  const onCanvasReady = useCallback(() => {
    performance.mark('tend:canvas-ready');
    requestAnimationFrame(() => setCanvasReady(true));
  }, []);
  const notify = useCallback((r: EditRefusal) => setNotice(t(r)), [t]);
  const actions = useMemo(() => canvasActions(journey, notify), [journey, notify]);
  const set = useCallback(
    (path: Path, value: unknown) =>
      journey.edit((doc) => {
        assignIn(doc, path, value);
      }, path.join('.')),
    [journey],
  );

  const save = async () => {
    if (!session.canEdit) return null;
    const saved = await journey.saveVersion();
    if (saved && saved.id !== id) navigate(`/workflows/${saved.id}`, { replace: true });
    return saved;
  };
  const publish = async () => {
    const saved =
      journey.unsaved || !journey.server?.latestVersion
        ? await save()
        : { id, version: journey.server.latestVersion };
    if (!saved) return;
    try {
      await journey.publish(saved.version);
      setNotice(t('toolbar.publishedNotice', { version: saved.version }));
    } catch (error) {
      setNotice((error as Error).message);
    }
  };
  const selectedStates = selection.kind === 'node' ? selection.ids.filter((s) => s in def.states) : [];
  useShortcuts({
    undo: journey.undo,
    redo: journey.redo,
    copy: () => {
      if (selectedStates.length) clip.current = actions.copy(selectedStates, def.states);
    },
    paste: () => {
      if (!readOnly && Object.keys(clip.current).length) actions.paste(clip.current, positions);
    },
    save: () => void save(),
    fit: () => void rf.fitView({ padding: FIT_PADDING, duration: 200 }),
    help: () => setHelp(true),
  });

  if (journey.loadError) {
    return (
      <main className="page">
        <h1>{journey.loadError === 'not_found' ? t('editor.notFound', { id }) : journey.loadError}</h1>
      </main>
    );
  }
  if (!journey.server) {
    return (
      <main className="page" role="status">
        {t('common.loading')}
      </main>
    );
  }

  const context: EditorContextValue = {
    journey,
    def,
    issues,
    steps,
    library: { templates: library.data?.templates ?? [], surveys: library.data?.surveys ?? [] },
    readOnly,
    set,
  };
  const revealLine =
    selection.kind === 'node'
      ? lineOf(text, selection.id in def.states ? ['states', selection.id] : ['trigger'])
      : null;

  return (
    <EditorContext.Provider value={context}>
      <main className={`editor mode-${mode} ${yamlShown ? 'with-yaml' : ''}`}>
        <Toolbar
          journey={journey}
          issues={issues}
          checking={checking}
          mode={mode}
          onMode={setMode}
          canEdit={session.canEdit}
          yamlShown={yamlShown}
          onToggleYaml={() => setYamlShown((v) => !v)}
          paletteShown={panels.palette}
          sideShown={panels.side}
          onTogglePalette={() => setPanels({ ...panels, palette: !panels.palette })}
          onToggleSide={() => setPanels({ ...panels, side: !panels.side })}
          onFit={() => void rf.fitView({ padding: FIT_PADDING, duration: 200 })}
          onRelayout={() => journey.replaceMoved({})}
          onSave={() => void save()}
          onPublish={() => void publish()}
          onHelp={() => setHelp(true)}
        />
        <Banners
          journey={journey}
          notice={notice}
          onDismissNotice={() => setNotice(null)}
          validationFailed={failed}
          issues={issues}
          onPick={(node) => setSelection(node ? { kind: 'node', id: node, ids: [node] } : { kind: 'none' })}
        />
        <div className="workspace">
          {mode === 'edit' && session.canEdit && panels.palette && (
            <Palette steps={steps} onAdd={(item) => actions.add(item, selection, positions)} />
          )}
          <div className="canvas-wrap" data-testid="canvas">
            <Canvas
              def={def}
              graph={graph}
              auto={auto}
              moved={journey.moved}
              issues={byNode}
              titles={titles}
              overlay={overlay}
              readOnly={readOnly}
              onSelect={setSelection}
              selectedIds={selection.kind === 'node' ? selection.ids : undefined}
              onConnect={actions.connect}
              onRetarget={actions.retarget}
              onDelete={actions.remove}
              onMove={(p) => journey.setMoved(p, 'move')}
              onDrop={(item, at, onto) => actions.drop(item, at, onto, positions)}
              onReady={onCanvasReady}
            />
          </div>
          <div className="side" hidden={!panels.side}>
            {mode === 'edit' && (
              <Inspector
                selection={selection}
                onSelect={setSelection}
                onDeleteStates={(names) => actions.remove(names, [])}
                onDeleteTransition={(ref) => actions.remove([], [ref])}
              />
            )}
            {mode === 'preview' && <PreviewPanel id={id} text={text} def={def} onOverlay={setModeOverlay} />}
            {mode === 'live' && (
              <LivePanel
                id={id}
                def={def}
                server={journey.server}
                selection={selection}
                onOverlay={setModeOverlay}
              />
            )}
            {mode === 'versions' && (
              <VersionsPanel
                journey={journey}
                compare={compare}
                onCompare={setCompare}
                canEdit={session.canEdit}
              />
            )}
          </div>
          {yamlShown &&
            (canvasReady ? (
              <YamlPanel
                text={text}
                onChange={journey.setText}
                issues={issues}
                revealLine={revealLine}
                readOnly={readOnly}
              />
            ) : (
              // Holds the panel's place, so the canvas does not move when the editor appears.
              <section className="yaml-panel" aria-busy="true" aria-label={t('yaml.title')} />
            ))}
        </div>
        {help && <HelpDialog onClose={() => setHelp(false)} />}
      </main>
    </EditorContext.Provider>
  );
}
