export { samplePeriod, shuffleInPlace } from './linkage/sample-period.js';
export type { Random } from './linkage/sample-period.js';
