/** Request bodies: the SDK's readers, so the engine's routes and plugins' refuse bad input alike. */
export { bodyShape, parseJson, readJson } from '@tend/plugin-sdk';
