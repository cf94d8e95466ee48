import { definePlugin } from '@tend/plugin-sdk';
import { applyRulesStep } from './rules-step.ts';
import { addStep, removeStep, setAttributeStep } from './tag-steps.ts';

/** Tagging: tags and attributes on the customer, and tags that follow stage, segment or spend. */
export default definePlugin({
  name: 'tagging',
  version: '1.0.0',
  title: 'Tags and attributes',
  description: 'Add and remove tags, set attributes, and keep tags in step with stage, RFM segment or spend.',
  steps: [addStep, removeStep, setAttributeStep, applyRulesStep],
});
