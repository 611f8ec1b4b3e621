export * from './barcode.js';
export * from './base45.js';
export * from './card-uid.js';
export * from './detect.js';
export * from './keys.js';
export * from './qr-code.js';
