/** The names shown for the ids the takings record live with the takings (the settlements show them too). */
export * from '../takings/names.js';
