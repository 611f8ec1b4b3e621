export * from './credentials/index.js';
export * from './errors.js';
export * from './model.js';
export * from './mqtt/index.js';
export * from './reasons.js';
export * from './rules/index.js';
