// Internal: the facts one component records and another reads, per app. Not exported from the package.
export * from './app-facts';
