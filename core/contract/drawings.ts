// Chart drawings are stored by the core and drawn by the renderer, which may import only the
// contract: the schema lives in core/domain (storage imports it there) and is re-exported here.
export * from '../domain/drawings.ts';
