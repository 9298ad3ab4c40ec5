export * from './errors';
export * from './names';
export * from './numbers';
export * from './schedule';
