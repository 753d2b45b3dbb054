export const DATABASE = Symbol('DATABASE');
/** The catalog read port (PagingCatalogReader from @fts/domain) that handlers depend on; the SQLite reader provides it. */
export const CATALOG_READER = Symbol('CATALOG_READER');
