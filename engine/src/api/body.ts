/** Request bodies: the SDK's readers, so the engine's routes and plugins' refuse bad input alike. */
export {
  bodyShape,
  MAX_JSON_DEPTH,
  parseJson,
  readJson,
  readJsonText,
  readOptionalJson,
} from '@tend/plugin-sdk';
