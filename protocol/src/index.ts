export * from './errors.js';
export * from './model.js';
export * from './reasons.js';
