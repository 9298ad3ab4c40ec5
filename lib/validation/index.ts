export * from './errors';
export * from './names';
export * from './numbers';
export * from './schedule';
export * from './tokens';
export * from './aws-values';
export * from './images';
export * from './warnings';
