export * from './errors.js';
export * from './secret.js';
export * from './crypto.js';
export * from './lockState.js';
