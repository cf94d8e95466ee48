/** "did you mean …?" lives in the SDK: plugins' checks suggest names the same way. */
export { didYouMean } from '@tend/plugin-sdk';
