/** The takings name their fixed values (source, method, channel) themselves; reports show those names. */
export * from '../takings/labels.js';
