export * from './errors.js';
export * from './schema.js';
export * from './translate.js';
export * from './response.js';
