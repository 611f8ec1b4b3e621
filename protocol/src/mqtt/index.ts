export * from './channels.js';
export * from './codec.js';
export * from './messages/index.js';
export * from './topics.js';
