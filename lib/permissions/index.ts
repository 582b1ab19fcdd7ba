export * from './constants.js';
export * from './errors.js';
export * from './types.js';
export * from './codec.js';
export * from './describe.js';
export * from './gasDefaults.js';
