import { defineEditorPlugin } from '@tend/plugin-sdk/editor';
import { SatisfactionPanel, SurveyResultsScreen, SurveysScreen } from './surveys-screens.tsx';
import { TEXT } from './texts.ts';

/** The surveys plugin in the editor: the surveys and each one's results. */
export default defineEditorPlugin({
  name: 'surveys',
  screens: [
    { path: '/surveys', title: TEXT.title, nav: true, component: SurveysScreen },
    { path: '/surveys/:id', title: TEXT.results, component: SurveyResultsScreen },
  ],
  dashboard: [{ id: 'satisfaction', title: TEXT.dashboard, component: SatisfactionPanel }],
});
